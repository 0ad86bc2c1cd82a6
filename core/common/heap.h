// The C heap and a separation's large buffers.
//
// A separation allocates and frees tensors of tens to hundreds of megabytes for every chunk.
// glibc's malloc serves each request above its mmap threshold (128 KiB, rising with use to at
// most 32 MiB; and in a worker thread's arena anything larger than its 64 MiB heaps) with a fresh
// mmap and gives it back with munmap, so every chunk pays the page faults of touching that memory
// anew. On the CPU that was about a quarter of a separation's time (bench/NOTES.md "The C heap").
// tuneHeapForLargeBuffers() makes malloc keep those buffers on the heap and reuse them;
// releaseFreeHeap() hands what is free back to the system when a job ends, so an idle window
// does not hold a separation's peak.
//
// glibc only (Linux); elsewhere both do nothing (macOS's and Windows' allocators keep large
// blocks differently, unmeasured). Plain C++: no Qt, no LibTorch.
#pragma once

namespace stemdeck {

// Applies the tuning (mallopt: no mmap for large blocks, no automatic trim of the heap's top,
// one arena for every thread) and returns true; false where it does not apply: not glibc, or
// the environment variable STEMDECK_HEAP_TUNING is "off" (to compare, or to rule the tuning out
// when chasing a problem).
// Call it early in main(), before the first separation.
bool tuneHeapForLargeBuffers();

// Returns the heap's free memory to the system (malloc_trim); true where that applies (glibc).
// JobQueue calls it after every job.
bool releaseFreeHeap();

} // namespace stemdeck
