// stale-bp: issue 69085 (CL 608775). A goroutine on its small starting stack calls C, C calls
// back into Go, and the callback recurses deep enough that the goroutine stack is copied several
// times. Back in cgocallbackg, reentersyscall restores syscallbp from the saved copy: stale unless
// it was kept as an unsafe.Pointer that the stack copier adjusts. go1.23's bp consistency check
// (added by the same CL) turns a stale value into "entersyscall inconsistent bp".
package main

/*
extern void grow(int);
static void callGrow(void) { grow(64); }
*/
import "C"

import "fmt"

var sink int

func recurse(n int) int {
	var pad [200]byte
	pad[n%200] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return recurse(n-1) + int(pad[n%200])
}

//export grow
func grow(depth C.int) {
	sink += recurse(int(depth) * 4) // about 64 KiB of frames: 2K -> 4K -> ... -> 128K
}

func main() {
	done := make(chan bool)
	go func() {
		C.callGrow()
		done <- true
	}()
	<-done
	fmt.Println("OK")
}
