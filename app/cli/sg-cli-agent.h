/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

G_BEGIN_DECLS

/* The agent commands of spyglass-cli (sg-cli-agent.c). */
int sg_cli_agents      (int    argc,
                        char **argv);
int sg_cli_snapshot    (int    argc,
                        char **argv);
int sg_cli_logpoint    (int    argc,
                        char **argv);
int sg_cli_breakpoints (int    argc,
                        char **argv);
int sg_cli_record      (int    argc,
                        char **argv);
int sg_cli_memory      (int    argc,
                        char **argv);

G_END_DECLS
