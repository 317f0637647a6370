/** Largest file the import page accepts (a 50,000-row CSV is about 8 MB). */
export const MAX_UPLOAD_MB = 20;
