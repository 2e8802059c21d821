// trace-park-order: CL 573155's event order. With the execution tracer on and
// GODEBUG=tracecheckstackownership=1, a goroutine inside a cgo callback blocks on a mutex. The
// tracer records the block event with the goroutine's stack; before the CL it did so after the
// goroutine had become _Gwaiting, when it no longer owned its stack (a GC could shrink it under
// the walk), and the CL's ownership check throws for exactly that.
package main

/*
extern void blockInGo(void);
static void callBlock(void) { blockInGo(); }
*/
import "C"

import (
	"fmt"
	"io"
	"runtime/trace"
	"sync"
	"time"
)

var mu sync.Mutex

//export blockInGo
func blockInGo() {
	mu.Lock() // held by main: this goroutine parks (sync.Mutex.Lock)
	mu.Unlock()
}

func main() {
	if err := trace.Start(io.Discard); err != nil {
		panic(err)
	}
	mu.Lock()
	done := make(chan bool)
	go func() {
		C.callBlock()
		done <- true
	}()
	time.Sleep(50 * time.Millisecond)
	mu.Unlock()
	<-done
	trace.Stop()
	fmt.Println("OK")
}
