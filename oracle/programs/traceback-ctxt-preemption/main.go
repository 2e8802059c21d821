// traceback-ctxt-preemption: issue 47441's TracebackContextPreemption (CL 338197). With a cgo
// traceback context function installed, every callback defers a context pop; before the fix that
// deferred wrapper was a preemption point after unlockOSThread, so a preempted goroutine could be
// resumed on another M and return into C on the wrong thread stack. Racy: run it under
// GOGC=10 GOMAXPROCS=8 many times.
package main

/*
#include <stdint.h>
#include <stdlib.h>

struct cgoContextArg { uintptr_t context; };
struct cgoTracebackArg { uintptr_t context; uintptr_t sigContext; uintptr_t *buf; uintptr_t max; };
struct cgoSymbolizerArg { uintptr_t pc; const char *file; uintptr_t lineno; const char *func; uintptr_t entry; uintptr_t more; uintptr_t data; };

static void tcContextSimple(void *parg) {
	struct cgoContextArg *arg = parg;
	if (arg->context == 0) arg->context = 1;
}

static void tcTraceback(void *parg) {
	struct cgoTracebackArg *arg = parg;
	if (arg->max > 0) arg->buf[0] = 0;
}

static void tcSymbolizer(void *parg) {
	struct cgoSymbolizerArg *arg = parg;
	arg->file = "tracebackctxt.go";
	arg->func = "cFunction";
	arg->lineno = 1;
}

extern void preemptionGoFunction(int);

static void preemptionCallGo(int i) { preemptionGoFunction(i); }

static void *contextFn(void) { return tcContextSimple; }
static void *tracebackFn(void) { return tcTraceback; }
static void *symbolizerFn(void) { return tcSymbolizer; }
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
)

//export preemptionGoFunction
func preemptionGoFunction(i C.int) {
	_ = fmt.Sprintf("%d\n", i) // busy work that allocates
}

func main() {
	runtime.SetCgoTraceback(0, C.tracebackFn(), C.contextFn(), C.symbolizerFn())
	const funcs = 10
	const calls = 100000
	var wg sync.WaitGroup
	for i := 0; i < funcs; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < calls; j++ {
				C.preemptionCallGo(C.int(i*calls + j))
			}
		}(i)
	}
	wg.Wait()
	fmt.Println("OK")
}
