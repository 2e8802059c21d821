// trace: a callback on a coroutine stack of SIZE bytes with a guard page below calls trace.Start
// (MODE bit 0) and trace.Stop (bit 1), after the thread's first callback bound its M: the largest
// SIZE that prints OK bounds the tracer's g0 work (docs/model.md §20).
package main

/*
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>

#define PAGE 4096
extern void level(int);
extern void tr(int);
static ucontext_t uctxSave, uctxSwitch;
static int depth;
static size_t stackSize;
static void onCoroutine(void) { tr(depth); }
__attribute__((noinline)) static void nest(int n) { level(n); __asm__ volatile(""); }
static void *thread(void *arg) {
	level(0); // binds the extra M on the thread stack (go1.21+)
	size_t map = (stackSize + PAGE - 1) / PAGE * PAGE;
	char *region = mmap(NULL, PAGE + map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	mprotect(region, PAGE, PROT_NONE);
	char *stack = region + PAGE;
	getcontext(&uctxSwitch);
	uctxSwitch.uc_stack.ss_sp = stack;
	uctxSwitch.uc_stack.ss_size = stackSize;
	uctxSwitch.uc_link = &uctxSave;
	makecontext(&uctxSwitch, onCoroutine, 0);
	swapcontext(&uctxSave, &uctxSwitch);
	return NULL;
}
static void run(int n, int size) { depth = n; stackSize = size; pthread_t t; pthread_create(&t, NULL, thread, NULL); pthread_join(t, NULL); }
*/
import "C"

import (
	"fmt"
	"io"
	"os"
	"runtime/trace"
	"strconv"
)

//export level
func level(n C.int) {
	if n > 1 {
		C.nest(n - 1)
	}
}

//export tr
func tr(n C.int) {
	if n&1 != 0 {
		trace.Start(io.Discard)
	}
	if n&2 != 0 {
		trace.Stop()
	}
}

func main() {
	n, _ := strconv.Atoi(os.Args[1]) // MODE
	size, _ := strconv.Atoi(os.Args[2])
	C.run(C.int(n), C.int(size))
	fmt.Println("OK")
}
