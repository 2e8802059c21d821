// gc-coroutine-netpoll: a C thread calls Go once on its own stack, then switches to a 2 KiB
// coroutine stack (mmap'd, with a PROT_NONE guard page below it) and calls Go there; the program
// used a timer first, so the netpoller is live, and the callback runs runtime.GC(): startTheWorld
// runs netpoll(0) on g0, whose 1.6 KiB frame reaches the guard page on go1.21+.
package main

/*
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <ucontext.h>

#define PAGE 4096
#define STACK (2 << 10)

extern void gcCallback(int);

static ucontext_t uctxSave, uctxSwitch;

static void onCoroutine(void) { gcCallback(1); }

static void *thread(void *arg) {
	pthread_attr_t attr;
	void *addr;
	size_t size;
	pthread_getattr_np(pthread_self(), &attr);
	pthread_attr_getstack(&attr, &addr, &size);
	pthread_attr_destroy(&attr);
	uintptr_t lo = (uintptr_t)addr, hi = lo + size;

	gcCallback(0);
	char *region = mmap(NULL, PAGE + STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (region == MAP_FAILED) { perror("mmap"); return NULL; }
	mprotect(region, PAGE, PROT_NONE); // guard page: overflowing the 16 KiB faults
	char *stack = region + PAGE;
	uintptr_t s = (uintptr_t)stack;
	printf("thread stack [%#lx, %#lx), coroutine stack [%#lx, %#lx)\n", lo, hi, s, s + STACK);
	printf("layout: %s\n", s + STACK <= lo ? "below" : s >= hi ? "above" : "inside");
	fflush(stdout);
	getcontext(&uctxSwitch);
	uctxSwitch.uc_stack.ss_sp = stack;
	uctxSwitch.uc_stack.ss_size = STACK;
	uctxSwitch.uc_link = &uctxSave;
	makecontext(&uctxSwitch, onCoroutine, 0);
	swapcontext(&uctxSave, &uctxSwitch);
	munmap(region, PAGE + STACK);
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
	"time"
)

var keep [][]byte

//export gcCallback
func gcCallback(collect C.int) {
	for i := 0; i < 100; i++ {
		keep = append(keep, make([]byte, 1024))
	}
	if collect != 0 {
		runtime.GC()
	}
}

func main() {
	time.Sleep(time.Millisecond)
	C.callFromThread()
	fmt.Println("OK")
}
