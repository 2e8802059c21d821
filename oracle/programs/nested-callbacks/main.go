// nested-callbacks: a C thread with a small (256 KiB) stack calls Go, which calls C, which calls
// Go again, three levels deep; the innermost callback runs a g0 split check (SetGCPercent).
// ncgo > 0 on the extra M for the inner callbacks: their SP must stay inside the g0 bounds.
package main

/*
#include <pthread.h>

extern void level(int);

static void down(int n) { level(n); }

static void *thread(void *arg) {
	level(1);
	return NULL;
}

static void callFromSmallThread(void) {
	pthread_attr_t attr;
	pthread_t t;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 << 10);
	pthread_create(&t, &attr, thread, NULL);
	pthread_join(t, NULL);
	pthread_attr_destroy(&attr);
}
*/
import "C"

import (
	"fmt"
	"runtime/debug"
)

//export level
func level(n C.int) {
	if n < 3 {
		C.down(n + 1)
		return
	}
	old := debug.SetGCPercent(100)
	debug.SetGCPercent(old)
}

func main() {
	C.callFromSmallThread()
	fmt.Println("OK")
}
