// partial-overlap: issue 62440's fluent-bit crash (CL 584597). A C thread calls Go on its own
// stack, then from coroutine A, then from coroutine B whose stack top lies 32 KiB - 0x200 below
// A's: B's callback SP is inside the dummy g0 bounds A's callback left behind, 0x200 above their
// bottom. Both coroutine stacks are carved from one mmap'd region, so the offsets are exact.
package main

/*
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <ucontext.h>

#define REGION (256 << 10)
#define STACK (64 << 10)

extern void overlapCallback(void);

static ucontext_t uctxSave, uctxSwitch;

static void runOn(char *lo) {
	getcontext(&uctxSwitch);
	uctxSwitch.uc_stack.ss_sp = lo;
	uctxSwitch.uc_stack.ss_size = STACK;
	uctxSwitch.uc_link = &uctxSave;
	makecontext(&uctxSwitch, overlapCallback, 0);
	swapcontext(&uctxSave, &uctxSwitch);
}

static void *thread(void *arg) {
	pthread_attr_t attr;
	void *addr;
	size_t size;
	pthread_getattr_np(pthread_self(), &attr);
	pthread_attr_getstack(&attr, &addr, &size);
	pthread_attr_destroy(&attr);
	uintptr_t lo = (uintptr_t)addr, hi = lo + size;

	overlapCallback();
	char *region = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (region == MAP_FAILED) { perror("mmap"); return NULL; }
	char *a = region + 128 * 1024;                  // A: [region+128K, region+192K)
	char *b = a + STACK - 32 * 1024 + 0x200 - STACK; // B's top = A's top - 32K + 0x200
	uintptr_t r = (uintptr_t)region;
	printf("thread stack [%#lx, %#lx), region [%#lx, %#lx), A [%p, %p), B [%p, %p)\n",
		lo, hi, r, r + REGION, a, a + STACK, b, b + STACK);
	printf("layout: %s\n", r + REGION <= lo ? "below" : r >= hi ? "above" : "inside");
	fflush(stdout);
	runOn(a);
	runOn(b);
	munmap(region, REGION);
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
	"runtime/debug"
)

//export overlapCallback
func overlapCallback() {
	old := debug.SetGCPercent(100)
	debug.SetGCPercent(old)
}

func main() {
	C.callFromThread()
	fmt.Println("OK")
}
