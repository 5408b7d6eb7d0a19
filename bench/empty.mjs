// Intentionally empty: bench/run.mjs times a fresh process importing this file as the baseline
// that each entry's cold import time is reported above (resolver, loader and file read included).
export {};
