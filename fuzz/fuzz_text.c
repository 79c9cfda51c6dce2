/* fuzz_text.c - libFuzzer target: decoding input files (core/textin.c):
 * byte-order marks, UTF-16 of both orders, the check of UTF-8.
 *
 * Beyond the sanitizers it checks what the decoder promises: UTF-16 comes
 * out as valid UTF-8 (a NUL aside, which readers reject themselves);
 * reading in small and large pieces gives the same text; and
 * tether_utf8_check agrees with a second, plain decoder. */
#include "fuzz.h"
#include "tether/textin.h"
#include "tether/util.h"

/* A second opinion on UTF-8: 1 when valid (no NUL, no overlong form, no
 * surrogate, nothing above U+10FFFF). */
static int
plain_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len;
        unsigned cp;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0)
            len = 2, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            len = 3, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            len = 4, cp = c & 0x07;
        else
            return 0;
        if (i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

static int
read_all(const char *path, size_t piece, struct tether_buf *b,
         enum tether_encoding *enc)
{
    struct tether_textin *in;
    char errbuf[TETHER_ERRBUF];
    if (tether_textin_open(&in, path, errbuf))
        return -1;
    *enc = tether_textin_encoding(in);
    char chunk[65536];
    long n;
    while ((n = tether_textin_read(in, chunk, piece, errbuf)) > 0) {
        if ((size_t)n > piece)
            abort();
        tether_buf_add(b, chunk, (size_t)n);
    }
    tether_textin_close(in);
    return n < 0 ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *reason = NULL;
    size_t bad = tether_utf8_check((const char *)data, size, &reason);
    if ((bad == 0) != plain_valid(data, size))
        abort();
    if (bad && (!reason || bad > size))
        abort();

    const char *path = fuzz_write("in", data, size);
    struct tether_buf big = {0}, small = {0};
    enum tether_encoding e1, e2;
    int r1 = read_all(path, sizeof(((char[65536]){0})), &big, &e1);
    int r2 = read_all(path, 7, &small, &e2);
    if (r1 != r2)
        abort();
    if (r1 == 0) {
        if (e1 != e2 || big.len != small.len ||
            (big.len && memcmp(big.data, small.data, big.len) != 0))
            abort();
        if (e1 == TETHER_ENC_UTF16LE || e1 == TETHER_ENC_UTF16BE) {
            /* every decoded character is valid UTF-8 once NULs are put
             * aside */
            for (size_t i = 0; i < big.len; i++)
                if (big.data[i] == '\0')
                    big.data[i] = ' ';
            if (big.len && tether_utf8_check(big.data, big.len, &reason))
                abort();
        }
    }
    tether_buf_free(&big);
    tether_buf_free(&small);

    char *text = NULL;
    size_t len = 0;
    char errbuf[TETHER_ERRBUF];
    if (tether_text_read_all(path, &text, &len, errbuf) == TETHER_OK) {
        if (strlen(text) != len)
            abort();
        free(text);
    }
    return 0;
}
