/** Bumped with package.json; recorded in every manifest. Kept as a constant so start-up reads no files. */
export const HARNESS_VERSION = '0.1.0';
