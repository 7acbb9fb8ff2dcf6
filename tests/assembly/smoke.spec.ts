import { add } from "../../assembly/index";
describe("smoke", () => { it("adds", () => { expect<i32>(add(2, 3)).toBe(5); }); });
