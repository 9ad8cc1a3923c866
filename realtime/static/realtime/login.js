/* Sign-in page: only the language toggle (a file, not an inline script, for the Content-Security-Policy). */
HueRT.initLangOnly();
