// The control block (DESIGN §4): detail of the last error, in linear memory, no strings.
// Layout (little-endian i32s): status, field, found, expected, offset.
export const controlBlock: usize = memory.data(20);

export const FIELD_NONE: i32 = 0;

export function setDetail(status: i32, field: i32, found: i32, expected: i32, offset: i32): i32 {
  store<i32>(controlBlock, status);
  store<i32>(controlBlock, field, 4);
  store<i32>(controlBlock, found, 8);
  store<i32>(controlBlock, expected, 12);
  store<i32>(controlBlock, offset, 16);
  return status;
}

@inline export function detailStatus(): i32 { return load<i32>(controlBlock); }
@inline export function detailField(): i32 { return load<i32>(controlBlock, 4); }
@inline export function detailFound(): i32 { return load<i32>(controlBlock, 8); }
@inline export function detailExpected(): i32 { return load<i32>(controlBlock, 12); }
@inline export function detailOffset(): i32 { return load<i32>(controlBlock, 16); }
