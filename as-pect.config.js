// as-pect 8.1 configuration (an ES module). Coverage, JSON/CSV reporters and snapshots of
// as-pect 8.1 are broken with AssemblyScript 0.27; tests/run-all.mjs builds the reports instead.
export default {
  entries: ["tests/assembly/**/*.spec.ts"],
  include: ["tests/assembly/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
