/* test_json_real.c - the reals of the analysis JSON's pairs (written by
 * analyze/output.c without printf for most of them) read exactly as
 * jansson writes them with JSON_REAL_PRECISION(12): jansson itself is
 * the reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../analyze/output.c"

static const char *
real_text(struct tether_buf *b, double v)
{
    tether_buf_reset(b);
    json_real_str(b, v);
    return b->data;
}

/* What jansson writes for v (the library itself is the reference). */
static char *
jansson_text(double v)
{
    json_t *x = json_real(v);
    char *s = json_dumps(x, JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));
    json_decref(x);
    return s;
}

static void
known_values(void **state)
{
    (void)state;
    struct tether_buf b = {0};
    assert_string_equal(real_text(&b, 0), "0.0");
    assert_string_equal(real_text(&b, 12), "12.0");
    assert_string_equal(real_text(&b, 0.5), "0.5");
    assert_string_equal(real_text(&b, -2.25), "-2.25");
    assert_string_equal(real_text(&b, 0.1 + 0.2), "0.3");
    assert_string_equal(real_text(&b, 1.0 / 3), "0.333333333333");
    assert_string_equal(real_text(&b, 2.0 / 3), "0.666666666667");
    assert_string_equal(real_text(&b, 123456.25), "123456.25");
    assert_string_equal(real_text(&b, 0.0001), "0.0001");
    assert_string_equal(real_text(&b, 0.00012345), "0.00012345");
    assert_string_equal(real_text(&b, 0.00001), "1e-5");
    assert_string_equal(real_text(&b, 99999999999.5), "99999999999.5");
    assert_string_equal(real_text(&b, 100000000000.0), "100000000000.0");
    assert_string_equal(real_text(&b, 1e12), "1e12");
    assert_string_equal(real_text(&b, 1234567.1234567), "1234567.12346");
    assert_string_equal(real_text(&b, 87.5), "87.5");
    tether_buf_free(&b);
}

static uint64_t seed = 88172645463325252ull;

static uint64_t
next(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

/* Short decimals, ratios and any bit pattern at all. */
static void
same_as_jansson(void **state)
{
    (void)state;
    struct tether_buf b = {0};
    static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12};
    for (long i = 0; i < 400000; i++) {
        double v;
        uint64_t u = next();
        switch (i % 4) {
        case 0:
            v = (double)(next() % 1000000000000ull) / p10[u % 13];
            break;
        case 1:
            v = (double)(next() % 1000) / (double)(next() % 997 + 1);
            break;
        case 2:
            v = (double)(next() % 100000) / p10[u % 8] * (u & 256 ? -1 : 1);
            break;
        default:
            memcpy(&v, &u, sizeof(v));
            if (!isfinite(v))
                continue; /* the writer never gets one: null */
        }
        char *want = jansson_text(v);
        const char *got = real_text(&b, v);
        if (strcmp(want, got) != 0)
            fail_msg("%.17g: %s, jansson %s", v, got, want);
        free(want);
    }
    tether_buf_free(&b);
}

/* Around every power of ten, where %.12g's exponent and rounding turn. */
static void
powers_of_ten(void **state)
{
    (void)state;
    struct tether_buf b = {0};
    for (int e = -6; e <= 13; e++) {
        double p = pow(10, e);
        for (int sign = -1; sign <= 1; sign += 2) {
            double v = sign * p;
            for (int k = 0; k < 40; k++)
                v = nextafter(v, 0);
            for (int k = 0; k < 80; k++, v = nextafter(v, sign > 0 ? INFINITY : -INFINITY)) {
                char *want = jansson_text(v);
                const char *got = real_text(&b, v);
                if (strcmp(want, got) != 0)
                    fail_msg("%.17g: %s, jansson %s", v, got, want);
                free(want);
            }
            /* and just under the 12th digit's half: 0.5 - 5e-13 etc. */
            for (int k = 1; k <= 9; k++) {
                double w = sign * (p * (double)k + p * 5e-12);
                char *want = jansson_text(w);
                const char *got = real_text(&b, w);
                if (strcmp(want, got) != 0)
                    fail_msg("%.17g: %s, jansson %s", w, got, want);
                free(want);
            }
        }
    }
    tether_buf_free(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_values),
        cmocka_unit_test(same_as_jansson),
        cmocka_unit_test(powers_of_ten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
