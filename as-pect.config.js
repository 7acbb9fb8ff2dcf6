// as-pect 8.1 configuration (an ES module). Coverage, JSON/CSV reporters and snapshots of
// as-pect 8.1 are broken with AssemblyScript 0.27; tests/run-all.mjs builds the reports instead.
export default {
  entries: ["tests/assembly/**/*.spec.ts"],
  include: ["tests/assembly/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    // The specs run without a flash directory: every WASI call the flight modules import (the
    // /flash preopen of assembly/security/flash.ts) answers EBADF (8), as node:wasi does for a
    // descriptor that is not open, so the code under test sees "no /flash" (E_FLASH_NONE).
    const wasi = Object.fromEntries(["fd_prestat_get", "fd_prestat_dir_name", "path_open", "fd_pread", "fd_pwrite", "fd_close",
      "fd_read", "fd_write", "fd_seek", "fd_filestat_get", "clock_time_get"].map((n) => [n, () => 8]));
    return instantiate(binary, createImports({ env: { memory }, wasi_snapshot_preview1: wasi }));
  },
  outputBinary: false,
};
