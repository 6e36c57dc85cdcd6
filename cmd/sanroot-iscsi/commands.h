/* SPDX-License-Identifier: GPL-2.0-only */
/* sanroot-iscsi's commands, each run with its own argv (argv[0] its name). */
#ifndef SANROOT_ISCSI_COMMANDS_H
#define SANROOT_ISCSI_COMMANDS_H

/* The other commands; argv[0] is the command's name. */
int cmd_login(int argc, char **argv);
int cmd_logout(int argc, char **argv);
int cmd_sessions(int argc, char **argv);
int cmd_keep(int argc, char **argv);
/* Everything, when run as iscsistart or with its options. */
int iscsistart_main(int argc, char **argv);

/* The rescue commands; argv[0] is the command's name. */
int cmd_discover(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_write(int argc, char **argv);

#endif
