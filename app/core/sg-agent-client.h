/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-agent-info.h"
#include "sg-agent-log-entry.h"
#include "sg-agent-manifest.h"
#include "sg-agent-memory.h"
#include "sg-agent-memory-status.h"
#include "sg-agent-profile-info.h"
#include "sg-breakpoint.h"
#include "sg-breakpoint-spec.h"

G_BEGIN_DECLS

#define SG_AGENT_PROTOCOL_MAJOR 1

#define SG_AGENT_ERROR (sg_agent_error_quark ())
GQuark sg_agent_error_quark (void);

typedef enum
{
  SG_AGENT_ERROR_UNREACHABLE,   /* nothing answers at the address */
  SG_AGENT_ERROR_UNAUTHORIZED,  /* wrong or missing token */
  SG_AGENT_ERROR_INCOMPATIBLE,  /* not a Spyglass agent, or another protocol version */
  SG_AGENT_ERROR_GONE,          /* it answered before and stopped */
  SG_AGENT_ERROR_TIMEOUT,
  SG_AGENT_ERROR_TLS,
  SG_AGENT_ERROR_NOT_FOUND,
  SG_AGENT_ERROR_FORBIDDEN,     /* e.g. source serving switched off */
  SG_AGENT_ERROR_REJECTED,      /* 4xx: the message is the agent's (bad condition, …) */
  SG_AGENT_ERROR_PROTOCOL,      /* an answer the console cannot read */
  SG_AGENT_ERROR_FAILED,        /* 5xx */
  SG_AGENT_ERROR_UNSUPPORTED,   /* 501: this agent or its interpreter cannot do it */
} SgAgentError;

typedef enum
{
  SG_AGENT_STATE_DISCONNECTED,
  SG_AGENT_STATE_CONNECTING,
  SG_AGENT_STATE_CONNECTED,
  SG_AGENT_STATE_RECONNECTING,  /* lost; retrying with backoff */
  SG_AGENT_STATE_FAILED,        /* will not retry: wrong token or incompatible */
} SgAgentState;

#define SG_TYPE_AGENT_STATE (sg_agent_state_get_type ())
GType sg_agent_state_get_type (void) G_GNUC_CONST;

#define SG_TYPE_AGENT_CLIENT (sg_agent_client_get_type ())
G_DECLARE_FINAL_TYPE (SgAgentClient, sg_agent_client, SG, AGENT_CLIENT, GObject)

SgAgentClient   *sg_agent_client_new                     (const char           *address,
                                                          const char           *token);
const char      *sg_agent_client_get_address             (SgAgentClient        *self);
const char      *sg_agent_client_get_token               (SgAgentClient        *self);
SgAgentState     sg_agent_client_get_state               (SgAgentClient        *self);
SgAgentInfo     *sg_agent_client_get_info                (SgAgentClient        *self);
int              sg_agent_client_get_latency_ms          (SgAgentClient        *self);
const GError    *sg_agent_client_get_last_error          (SgAgentClient        *self);
char            *sg_agent_client_dup_display_name        (SgAgentClient        *self);
void             sg_agent_client_set_request_timeout     (SgAgentClient        *self,
                                                          guint                 seconds);
void             sg_agent_client_set_poll_timeout        (SgAgentClient        *self,
                                                          guint                 seconds);
gboolean         sg_agent_client_set_tls_ca_file         (SgAgentClient        *self,
                                                          const char           *path,
                                                          GError              **error);

/* Connection: connect_async tries once (for a dialog that shows the error);
 * start() keeps trying with backoff (for remembered connections). Both keep
 * the event loop running while connected and reconnect when it drops. */
void             sg_agent_client_connect_async           (SgAgentClient        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         sg_agent_client_connect_finish          (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_start                   (SgAgentClient        *self);
void             sg_agent_client_stop                    (SgAgentClient        *self);

void             sg_agent_client_get_agent_info_async    (SgAgentClient        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SgAgentInfo     *sg_agent_client_get_agent_info_finish   (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_get_manifest_async      (SgAgentClient        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SgAgentManifest *sg_agent_client_get_manifest_finish     (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_get_source_file_async   (SgAgentClient        *self,
                                                          const char           *path,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GBytes          *sg_agent_client_get_source_file_finish  (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_set_breakpoint_async    (SgAgentClient        *self,
                                                          const SgBreakpointSpec *spec,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SgBreakpoint    *sg_agent_client_set_breakpoint_finish   (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_list_breakpoints_async  (SgAgentClient        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GPtrArray       *sg_agent_client_list_breakpoints_finish (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_get_breakpoint_async    (SgAgentClient        *self,
                                                          const char           *id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SgBreakpoint    *sg_agent_client_get_breakpoint_finish   (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_delete_breakpoint_async (SgAgentClient        *self,
                                                          const char           *id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean         sg_agent_client_delete_breakpoint_finish (SgAgentClient       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_list_profiles_async     (SgAgentClient        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GPtrArray       *sg_agent_client_list_profiles_finish    (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_start_profile_async     (SgAgentClient        *self,
                                                          const char           *type,
                                                          double                seconds,
                                                          guint                 hz,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SgAgentProfileInfo *
                 sg_agent_client_start_profile_finish    (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_fetch_profile_async     (SgAgentClient        *self,
                                                          const char           *id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GBytes          *sg_agent_client_fetch_profile_finish    (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_get_metrics_async       (SgAgentClient        *self,
                                                          double                since,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GBytes          *sg_agent_client_get_metrics_finish      (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* Memory recordings (agent/PROTOCOL.md § Memory).  start: @seconds <= 0
 * records until stop; @frames 0 keeps the agent's default.  A second start
 * fails with SG_AGENT_ERROR_REJECTED ("already recording"); an interpreter
 * without tracemalloc with SG_AGENT_ERROR_UNSUPPORTED. */
void             sg_agent_client_get_memory_status_async (SgAgentClient        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SgAgentMemoryStatus *
                 sg_agent_client_get_memory_status_finish (SgAgentClient       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_start_memory_async      (SgAgentClient        *self,
                                                          double                seconds,
                                                          guint                 frames,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SgAgentMemory   *sg_agent_client_start_memory_finish     (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_stop_memory_async       (SgAgentClient        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SgAgentMemory   *sg_agent_client_stop_memory_finish      (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void             sg_agent_client_get_memory_async        (SgAgentClient        *self,
                                                          const char           *id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SgAgentMemory   *sg_agent_client_get_memory_finish       (SgAgentClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
