// SPDX-License-Identifier: GPL-2.0-only
/* Reading a small file whole, refusing one larger than the caller allows. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/file.h"

int file_read(const char *path, size_t max, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	size_t got = 0;

	if (fd < 0)
		return -errno;
	if (!(buf = malloc(max + 1))) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf + got, max - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			free(buf);
			return -e;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == max) {
			char extra;

			if (read(fd, &extra, 1) > 0) {
				close(fd);
				free(buf);
				return -EFBIG;
			}
			break;
		}
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}
