/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Debug page. Until its issue is built it is an honest status page that
 * says what the page will do; the template is the place to put the real
 * widgets.
 */
#include "config.h"

#include "sg-debug-page.h"

struct _SgDebugPage
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (SgDebugPage, sg_debug_page, GTK_TYPE_WIDGET)

static void
sg_debug_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), SG_TYPE_DEBUG_PAGE);
  /* dispose_template() only unparents bound children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sg_debug_page_parent_class)->dispose (object);
}

static void
sg_debug_page_class_init (SgDebugPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_debug_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-debug-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sg_debug_page_init (SgDebugPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
