// The component model's allocator export. The preview1 adapter calls it before _start for
// its own state, and the host calls it for every list or string it returns to the module.
// It draws on the unmanaged heap, which the incremental runtime sets up on first use, so it
// is safe before _start. Callers free what the host returned with heap.free.
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (oldPtr == 0) return heap.alloc(newSize == 0 ? 1 : newSize);
  return heap.realloc(oldPtr, newSize == 0 ? 1 : newSize);
}
