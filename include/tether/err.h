/* err.h - the one error enum shared by every tether module. */
#ifndef TETHER_ERR_H
#define TETHER_ERR_H

enum tether_err {
    TETHER_OK = 0,
    TETHER_ERR_IO,       /* a file could not be opened, read or written */
    TETHER_ERR_DB,       /* SQLite reported an error */
    TETHER_ERR_FORMAT,   /* the input is not in the expected format */
    TETHER_ERR_ENCODING, /* the input is not valid UTF-8 or UTF-16 */
    TETHER_ERR_VALUE,    /* a value is out of range or malformed */
    TETHER_ERR_NOTFOUND, /* a referenced thing does not exist */
    TETHER_ERR_SCHEMA,   /* the database is newer than this program */
    TETHER_ERR_USAGE     /* the caller asked for something impossible */
};

/* Size of the caller-owned buffers that receive error details. */
#define TETHER_ERRBUF 512

/* A static, lower-case description of err; never NULL. */
const char *tether_strerror(enum tether_err err);

#endif
