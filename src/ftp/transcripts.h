/* Real FTP exchanges, one per reply code the responder gives, recorded from
 * `httpstatus serve --ftp-listen` (data/transcripts/ftp.txt, by
 * tools/record_ftp_transcripts.py) for the web reference's FTP pages. */
#ifndef HS_FTP_TRANSCRIPTS_H
#define HS_FTP_TRANSCRIPTS_H

/* The recorded exchange that ends in (or shows) `code`: lines "C: ..."
 * (client), "S: ..." (server), "D: ..." (connections), each ending in "\n";
 * NULL when the responder never gives that code. */
const char *hs__ftp_transcript(int code);

#endif
