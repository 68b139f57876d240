/** N things in English, in the singular for one: "1 file", "2 files" (MANY for a plural other than ONE + s). */
export const counted = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
