// paint2: how deep each kind of callback reaches below a coroutine stack's top (stack painting).
package main

/*
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#define STACK (64 << 10)
extern void body(int);
static ucontext_t uctxSave, uctxSwitch;
static int which;
static void onCoroutine(void) { body(which); }
__attribute__((noinline)) static void nest(int n) { body(n); __asm__ volatile(""); }
static void run(int w) {
	char *stack = aligned_alloc(4096, STACK);
	memset(stack, 0xa5, STACK);
	which = w;
	getcontext(&uctxSwitch);
	uctxSwitch.uc_stack.ss_sp = stack;
	uctxSwitch.uc_stack.ss_size = STACK;
	uctxSwitch.uc_link = &uctxSave;
	makecontext(&uctxSwitch, onCoroutine, 0);
	swapcontext(&uctxSave, &uctxSwitch);
	size_t i = 0;
	while (i < STACK && (unsigned char)stack[i] == 0xa5) i++;
	printf("%d %zu\n", w, (size_t)STACK - i);
	fflush(stdout);
	free(stack);
}
static void *thread(void *arg) { for (int w = 0; w <= 8; w++) run(w); return NULL; }
static void callFromThread(void) { pthread_t t; pthread_create(&t, NULL, thread, NULL); pthread_join(t, NULL); }
*/
import "C"

import (
	"io"
	"runtime"
	"runtime/debug"
	"runtime/trace"
	"time"
)

//export body
func body(w C.int) {
	switch w {
	case 2:
		debug.SetGCPercent(50)
	case 3:
		runtime.GC()
	case 4:
		runtime.Gosched()
	case 5:
		C.nest(100)
	case 6:
		C.nest(101)
	case 101:
		C.nest(100)
	case 7:
		trace.Start(io.Discard)
		trace.Stop()
	case 8:
		time.Sleep(time.Millisecond) // the timer initializes the network poller
		runtime.GC()
	}
}

func main() { C.callFromThread() }
