// lockosthread-callback: runtime.LockOSThread/UnlockOSThread inside cgo callbacks. A Go-created
// goroutine calls C, whose callback locks and unlocks, then locks again and returns still locked
// (the lock outlives the callback: the goroutine stays wired to its thread until it exits). A C
// thread's callback locks and unlocks.
package main

/*
#include <pthread.h>

extern void lockInCallback(int);

static void callLock(int keep) { lockInCallback(keep); }

static void *thread(void *arg) {
	lockInCallback(0);
	lockInCallback(0);
	return NULL;
}

static void callFromThread(void) {
	pthread_t t;
	pthread_create(&t, NULL, thread, NULL);
	pthread_join(t, NULL);
}
*/
import "C"

import (
	"fmt"
	"runtime"
)

//export lockInCallback
func lockInCallback(keep C.int) {
	runtime.LockOSThread()
	runtime.UnlockOSThread()
	if keep != 0 {
		runtime.LockOSThread()
	}
}

func main() {
	done := make(chan bool)
	go func() {
		C.callLock(1)
		C.callLock(0)
		done <- true
	}()
	<-done
	C.callFromThread()
	fmt.Println("OK")
}
