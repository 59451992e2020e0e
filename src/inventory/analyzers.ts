import type { Analyzer } from './analyzer.js';

/**
 * Every analyzer the layer walker runs. Adding one is a new module plus one line here;
 * the walker, cache and applier never change for it.
 */
export const analyzers: readonly Analyzer[] = [];
