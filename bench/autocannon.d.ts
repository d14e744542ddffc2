// autocannon ships no types (and @types/autocannon is not installed): the
// benches use it through bench/lib.ts only.
declare module 'autocannon';
