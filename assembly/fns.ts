// Function ids: which runtime function a crash happened in. The host maps each id to the Go name it
// prints and to a simulated PC (src/symbols.ts keeps the same order).

export const FN_NONE: u32 = 0;
export const FN_EXITSYSCALLFAST_FUNC1: u32 = 1; // exitsyscall's systemstack closure: first g0 check of a callback
export const FN_SETGCPERCENT_FUNC1: u32 = 2;    // a `systemstack` op: debug.SetGCPercent's closure on g0
export const FN_DROPM: u32 = 3;
export const FN_PRINTLOCK: u32 = 4;             // first splittable call of the out-of-bounds print
export const FN_CGOCALLBACKG: u32 = 5;
export const FN_CGOCALL: u32 = 6;
export const FN_GOEXIT: u32 = 7;
export const FN_REENTERSYSCALL: u32 = 8;
export const FN_EXITSYSCALL: u32 = 9;
export const FN_CGOCALLBACK: u32 = 10;
export const FN_NEEDM: u32 = 11;
