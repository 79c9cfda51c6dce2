/* text.c - text with pango on any cairo surface: the charts' labels and
 * the PDF report's paragraphs are laid out here, in points, the same way
 * on PNG, SVG and PDF. */
#include "report.h"

#include <pango/pangocairo.h>

static PangoLayout *
layout(cairo_t *cr, const char *font, const char *text, int markup, double w,
       int align)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoContext *ctx = pango_layout_get_context(l);
    /* Sizes in points on every surface: PDF units are points, and the
     * PNG is drawn in the same units, scaled. */
    pango_cairo_context_set_resolution(ctx, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_layout_context_changed(l);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (w > 0) {
        pango_layout_set_width(l, (int)(w * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l, align == 1   ? PANGO_ALIGN_CENTER
                                  : align == 2 ? PANGO_ALIGN_RIGHT
                                               : PANGO_ALIGN_LEFT);
    if (markup)
        pango_layout_set_markup(l, text, -1);
    else
        pango_layout_set_text(l, text, -1);
#if PANGO_VERSION_CHECK(1, 44, 0)
    /* A line broken inside a word (an e-mail address that does not fit)
     * must not gain a hyphen that reads as part of it. */
    PangoAttrList *attrs = pango_layout_get_attributes(l);
    attrs = attrs ? pango_attr_list_copy(attrs) : pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
#endif
    return l;
}

double
report_text(cairo_t *cr, double x, double y, double w, const char *font,
            const char *text, int markup, int align)
{
    PangoLayout *l = layout(cr, font, text, markup, w, align);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return (double)ph / PANGO_SCALE;
}

double
report_text_height(cairo_t *cr, double w, const char *font, const char *text,
                   int markup)
{
    PangoLayout *l = layout(cr, font, text, markup, w, 0);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    g_object_unref(l);
    return (double)ph / PANGO_SCALE;
}

void
report_text_size(cairo_t *cr, const char *font, const char *text, double *w,
                 double *h)
{
    PangoLayout *l = layout(cr, font, text, 0, 0, 0);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    *w = (double)pw / PANGO_SCALE;
    *h = (double)ph / PANGO_SCALE;
    g_object_unref(l);
}
