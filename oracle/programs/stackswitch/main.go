// stackswitch: issue 62440's StackSwitchCallback (CL 527715). A C thread calls Go on its own
// stack, then from two malloc'd 64 KiB coroutine stacks (makecontext/swapcontext). Each callback
// runs debug.SetGCPercent twice: a splittable function on the system stack, i.e. a g0 bounds check.
package main

/*
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#define STACK_SIZE (64 << 10)

extern void stackSwitchCallback(void);

static ucontext_t uctxSave, uctxSwitch;
static uintptr_t threadLo, threadHi;

static void runOn(char *stack) {
	getcontext(&uctxSwitch);
	uctxSwitch.uc_stack.ss_sp = stack;
	uctxSwitch.uc_stack.ss_size = STACK_SIZE;
	uctxSwitch.uc_link = &uctxSave;
	makecontext(&uctxSwitch, stackSwitchCallback, 0);
	swapcontext(&uctxSave, &uctxSwitch);
}

static const char *where(uintptr_t a, uintptr_t lo, uintptr_t hi) {
	return a < lo ? "below" : a >= hi ? "above" : "inside";
}

static void *thread(void *arg) {
	pthread_attr_t attr;
	void *addr;
	size_t size;
	pthread_getattr_np(pthread_self(), &attr);
	pthread_attr_getstack(&attr, &addr, &size);
	pthread_attr_destroy(&attr);
	threadLo = (uintptr_t)addr;
	threadHi = threadLo + size;

	stackSwitchCallback();
	char *stack1 = malloc(STACK_SIZE);
	char *stack2 = malloc(STACK_SIZE);
	uintptr_t s1 = (uintptr_t)stack1, s2 = (uintptr_t)stack2;
	printf("thread stack [%#lx, %#lx), stack1 [%#lx, %#lx), stack2 [%#lx, %#lx)\n",
		threadLo, threadHi, s1, s1 + STACK_SIZE, s2, s2 + STACK_SIZE);
	printf("layout: %s-%s\n", where(s1, threadLo, threadHi), where(s2, s1, s1 + STACK_SIZE));
	fflush(stdout);
	runOn(stack1);
	runOn(stack2);
	free(stack1);
	free(stack2);
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

//export stackSwitchCallback
func stackSwitchCallback() {
	old := debug.SetGCPercent(100)
	debug.SetGCPercent(old)
}

func main() {
	C.callFromThread()
	fmt.Println("OK")
}
