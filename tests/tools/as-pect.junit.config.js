// as-pect configuration used by tests/run-all.mjs: the project's as-pect.config.js (same entries,
// includes and instantiation) plus the JUnit reporter of tests/tools/aspect-junit.mjs, which prints
// as-pect's usual summary as well. The reporter path is relative to the working directory (the root).
import base from "../../as-pect.config.js";

export default { ...base, reporter: "tests/tools/aspect-junit.mjs" };
