import { fd_write } from "bindings/wasi_snapshot_preview1";
function main(): void {
  const iov = memory.data(16);
  const msg = memory.data<u8>([104,105,10]);
  store<u32>(iov, msg); store<u32>(iov, 3, 4);
  fd_write(1, iov, 1, iov + 8);
}
main();
