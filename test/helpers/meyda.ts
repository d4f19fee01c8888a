import meydaModule from 'meyda';

type MeydaApi = (typeof import('meyda'))['default'];

/** meyda's CommonJS build exports the extractor object itself; its typings describe it as a default export. */
export const meyda = meydaModule as unknown as MeydaApi;
