// SPDX-License-Identifier: GPL-2.0-only
/* lvm2's per-VG lock: the file it names, exclusion against another holder, the wait, the timeout. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "lvm/lvm_lock.h"

static char dir[64];

/* Creates the missing directories (the lock dir 0700) and V_<vg>, as lvm2 names it. */
static void path_and_modes(void)
{
	char lockdir[128], path[160];
	struct sr_error err = { 0 };
	struct stat st;
	int fd;

	snprintf(lockdir, sizeof(lockdir), "%s/run/lock/lvm", dir);
	fd = lvm_lock_vg(lockdir, "client", 0, &err);
	CHECK(fd >= 0);
	snprintf(path, sizeof(path), "%s/V_client", lockdir);
	CHECK_INT(stat(path, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_INT(stat(lockdir, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0700);
	lvm_unlock_vg(fd);
}

static void bad_names(void)
{
	struct sr_error err = { 0 };

	CHECK_INT(lvm_lock_vg(dir, "", 0, &err), -EINVAL);
	CHECK_INT(lvm_lock_vg(dir, "../etc", 0, &err), -EINVAL);
	CHECK_INT(lvm_lock_vg(dir, ".hidden", 0, &err), -EINVAL);
	CHECK_STR(err.msg, "'.hidden' is not a VG name");
}

/* Another holder of the flock (lvm2 takes it shared or exclusive): we time out, then get it. */
static void excludes_other_holders(void)
{
	char path[160];
	struct sr_error err = { 0 };
	int other, fd;

	snprintf(path, sizeof(path), "%s/V_vg0", dir);
	other = open(path, O_RDWR | O_CREAT, 0600);
	CHECK(other >= 0);
	CHECK_INT(flock(other, LOCK_SH), 0);	/* what an lvm2 reader holds */
	CHECK_INT(lvm_lock_vg(dir, "vg0", 100, &err), -ETIMEDOUT);
	CHECK(strstr(err.msg, "VG vg0 stayed locked by another LVM command"));
	close(other);
	fd = lvm_lock_vg(dir, "vg0", 0, &err);
	CHECK(fd >= 0);
	/* and we exclude others while we hold it */
	other = open(path, O_RDWR);
	CHECK(other >= 0);
	CHECK(flock(other, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK);
	lvm_unlock_vg(fd);
	CHECK_INT(flock(other, LOCK_EX | LOCK_NB), 0);
	close(other);
}

/* A holder that lets go while we wait: we get the lock then, not at the timeout. */
static void waits_for_release(void)
{
	char path[160], done[160];
	struct sr_error err = { 0 };
	int sync[2], fd, status;
	pid_t pid;
	char c;

	snprintf(path, sizeof(path), "%s/V_vg1", dir);
	snprintf(done, sizeof(done), "%s/holder-done", dir);
	CHECK_INT(pipe(sync), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int h = open(path, O_RDWR | O_CREAT, 0600);

		if (h < 0 || flock(h, LOCK_EX) < 0)
			_exit(1);
		if (write(sync[1], "x", 1) != 1)
			_exit(1);
		nanosleep(&(struct timespec){ 0, 300 * 1000 * 1000 }, NULL);
		close(open(done, O_WRONLY | O_CREAT, 0600));
		_exit(0);	/* exiting releases it */
	}
	CHECK_INT(read(sync[0], &c, 1), 1);
	fd = lvm_lock_vg(dir, "vg1", 5000, &err);
	CHECK(fd >= 0);
	CHECK_INT(access(done, F_OK), 0);	/* we had it only once the holder was done */
	lvm_unlock_vg(fd);
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK_INT(status, 0);
	close(sync[0]);
	close(sync[1]);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/sanroot-lvm-lock.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN(path_and_modes);
	RUN(bad_names);
	RUN(excludes_other_holders);
	RUN(waits_for_release);
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	T_EXIT();
}
