// casefold_fs: a FUSE passthrough that folds case, as a default macOS disk
// (APFS, case-insensitive but case-preserving) does, for xtc's end-to-end
// tests on Linux.
//
//   casefold_fs BACKING_DIR MOUNTPOINT [-f] [FUSE options]
//
// Every name is looked up without regard to ASCII case: "xt_CONNMARK.h" and
// "xt_connmark.h" are one file, whichever was created first keeps its
// spelling, creating the other with O_EXCL fails with EEXIST, and unlinking
// either removes it. Symlinks, hard links, modes and times pass through to
// BACKING_DIR. Kernel caches are off (entry, attribute and negative timeouts
// of 0), so the kernel never answers a lookup from a name of another case.
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <fuse.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>

static char g_backing[PATH_MAX];

// Resolves `path` (FUSE's, starting with '/') into `out`, a path under the
// backing directory: each component that matches an existing entry without
// regard to case takes that entry's spelling; a component that matches none
// keeps its own (a name about to be created). Returns 0 or -ENAMETOOLONG.
static int resolve(const char *path, char *out) {
  size_t len = strlen(g_backing);
  if (len >= PATH_MAX) {
    return -ENAMETOOLONG;
  }
  memcpy(out, g_backing, len + 1);
  const char *p = path;
  while (*p != '\0') {
    while (*p == '/') {
      ++p;
    }
    if (*p == '\0') {
      break;
    }
    const char *end = strchr(p, '/');
    size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
    char name[NAME_MAX + 1];
    if (n > NAME_MAX) {
      return -ENAMETOOLONG;
    }
    memcpy(name, p, n);
    name[n] = '\0';
    DIR *dir = opendir(out);
    if (dir != NULL) {
      const struct dirent *entry;
      while ((entry = readdir(dir)) != NULL) {
        if (strcasecmp(entry->d_name, name) == 0) {
          snprintf(name, sizeof name, "%s", entry->d_name);
          break;
        }
      }
      closedir(dir);
    }
    if (len + 1 + strlen(name) >= PATH_MAX) {
      return -ENAMETOOLONG;
    }
    out[len++] = '/';
    strcpy(out + len, name);
    len += strlen(name);
    p += n;
  }
  return 0;
}

#define RESOLVE(path, real)                                                    \
  char real[PATH_MAX];                                                         \
  do {                                                                         \
    int rc_ = resolve(path, real);                                             \
    if (rc_ != 0) {                                                            \
      return rc_;                                                              \
    }                                                                          \
  } while (0)

static int result(int rc) { return rc == -1 ? -errno : 0; }

// The files open through this file system, by the path FUSE names each
// with. The kernel sends fchmod and futimens on an open file as a chmod or
// utimens of its path, without the file handle; once another spelling of
// the name has been unlinked (removing this file) and created again, that
// path reaches the new file, or none. A real file system applies them to
// the open file itself (and reports its attributes after them), and so
// does this one.
enum { k_max_open = 256 };
static struct {
  char path[PATH_MAX];
  int fd;
} g_open[k_max_open];
static pthread_mutex_t g_open_lock = PTHREAD_MUTEX_INITIALIZER;

static void remember_open(const char *path, int fd) {
  pthread_mutex_lock(&g_open_lock);
  for (size_t i = 0; i < k_max_open; ++i) {
    if (g_open[i].path[0] == '\0') {
      snprintf(g_open[i].path, sizeof g_open[i].path, "%s", path);
      g_open[i].fd = fd;
      break;
    }
  }
  pthread_mutex_unlock(&g_open_lock);
}

static void forget_open(int fd) {
  pthread_mutex_lock(&g_open_lock);
  for (size_t i = 0; i < k_max_open; ++i) {
    if (g_open[i].path[0] != '\0' && g_open[i].fd == fd) {
      g_open[i].path[0] = '\0';
      break;
    }
  }
  pthread_mutex_unlock(&g_open_lock);
}

// A descriptor of the open file FUSE calls `path`, or -1.
static int open_fd(const char *path) {
  int fd = -1;
  pthread_mutex_lock(&g_open_lock);
  for (size_t i = 0; i < k_max_open && fd < 0; ++i) {
    if (g_open[i].path[0] != '\0' && strcmp(g_open[i].path, path) == 0) {
      fd = g_open[i].fd;
    }
  }
  pthread_mutex_unlock(&g_open_lock);
  return fd;
}

static void *cf_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
  (void)conn;
  cfg->use_ino = 1;
  cfg->entry_timeout = 0;
  cfg->attr_timeout = 0;
  cfg->negative_timeout = 0;
  // Open files are served by descriptor: a write to a file whose name was
  // just unlinked and created again under another case needs no path.
  cfg->nullpath_ok = 1;
  return NULL;
}

static int cf_getattr(const char *path, struct stat *st,
                      struct fuse_file_info *fi) {
  const int fd = fi != NULL ? (int)fi->fh : open_fd(path);
  if (fd >= 0) {
    return result(fstat(fd, st));
  }
  RESOLVE(path, real);
  return result(lstat(real, st));
}

static int cf_access(const char *path, int mask) {
  RESOLVE(path, real);
  return result(access(real, mask));
}

static int cf_readlink(const char *path, char *buf, size_t size) {
  RESOLVE(path, real);
  ssize_t n = readlink(real, buf, size - 1);
  if (n < 0) {
    return -errno;
  }
  buf[n] = '\0';
  return 0;
}

static int cf_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
                      off_t offset, struct fuse_file_info *fi,
                      enum fuse_readdir_flags flags) {
  (void)path;
  (void)offset;
  (void)flags;
  // The backing directory that opendir resolved.
  DIR *dir = opendir((const char *)(uintptr_t)fi->fh);
  if (dir == NULL) {
    return -errno;
  }
  const struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (fill(buf, entry->d_name, NULL, 0, 0) != 0) {
      break;
    }
  }
  closedir(dir);
  return 0;
}

static int cf_mkdir(const char *path, mode_t mode) {
  RESOLVE(path, real);
  return result(mkdir(real, mode));
}

static int cf_unlink(const char *path) {
  RESOLVE(path, real);
  return result(unlink(real));
}

static int cf_rmdir(const char *path) {
  RESOLVE(path, real);
  return result(rmdir(real));
}

static int cf_symlink(const char *target, const char *path) {
  RESOLVE(path, real);
  return result(symlink(target, real));
}

static int cf_rename(const char *from, const char *to, unsigned int flags) {
  if (flags != 0) {
    return -EINVAL;
  }
  RESOLVE(from, real_from);
  RESOLVE(to, real_to);
  return result(rename(real_from, real_to));
}

static int cf_link(const char *from, const char *to) {
  RESOLVE(from, real_from);
  RESOLVE(to, real_to);
  return result(link(real_from, real_to));
}

static int cf_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
  const int fd = fi != NULL ? (int)fi->fh : open_fd(path);
  if (fd >= 0) {
    return result(fchmod(fd, mode));
  }
  RESOLVE(path, real);
  return result(chmod(real, mode));
}

static int cf_truncate(const char *path, off_t size,
                       struct fuse_file_info *fi) {
  if (fi != NULL) {
    return result(ftruncate((int)fi->fh, size));
  }
  RESOLVE(path, real);
  return result(truncate(real, size));
}

static int cf_utimens(const char *path, const struct timespec tv[2],
                      struct fuse_file_info *fi) {
  const int fd = fi != NULL ? (int)fi->fh : open_fd(path);
  if (fd >= 0) {
    return result(futimens(fd, tv));
  }
  RESOLVE(path, real);
  return result(utimensat(AT_FDCWD, real, tv, AT_SYMLINK_NOFOLLOW));
}

static int cf_create(const char *path, mode_t mode,
                     struct fuse_file_info *fi) {
  RESOLVE(path, real);
  int fd = open(real, fi->flags, mode);
  if (fd < 0) {
    return -errno;
  }
  fi->fh = (uint64_t)fd;
  remember_open(path, fd);
  return 0;
}

static int cf_open(const char *path, struct fuse_file_info *fi) {
  RESOLVE(path, real);
  int fd = open(real, fi->flags);
  if (fd < 0) {
    return -errno;
  }
  fi->fh = (uint64_t)fd;
  remember_open(path, fd);
  return 0;
}

static int cf_read(const char *path, char *buf, size_t size, off_t offset,
                   struct fuse_file_info *fi) {
  (void)path;
  ssize_t n = pread((int)fi->fh, buf, size, offset);
  return n < 0 ? -errno : (int)n;
}

static int cf_write(const char *path, const char *buf, size_t size,
                    off_t offset, struct fuse_file_info *fi) {
  (void)path;
  ssize_t n = pwrite((int)fi->fh, buf, size, offset);
  return n < 0 ? -errno : (int)n;
}

static int cf_statfs(const char *path, struct statvfs *st) {
  (void)path;
  return result(statvfs(g_backing, st));
}

static int cf_release(const char *path, struct fuse_file_info *fi) {
  (void)path;
  forget_open((int)fi->fh);
  close((int)fi->fh);
  return 0;
}

static int cf_fsync(const char *path, int datasync,
                    struct fuse_file_info *fi) {
  (void)path;
  return result(datasync != 0 ? fdatasync((int)fi->fh) : fsync((int)fi->fh));
}

static int cf_opendir(const char *path, struct fuse_file_info *fi) {
  RESOLVE(path, real);
  struct stat st;
  if (lstat(real, &st) != 0) {
    return -errno;
  }
  if (!S_ISDIR(st.st_mode)) {
    return -ENOTDIR;
  }
  char *copy = strdup(real);
  if (copy == NULL) {
    return -ENOMEM;
  }
  fi->fh = (uint64_t)(uintptr_t)copy;
  return 0;
}

static int cf_releasedir(const char *path, struct fuse_file_info *fi) {
  (void)path;
  free((void *)(uintptr_t)fi->fh);
  return 0;
}

static const struct fuse_operations k_operations = {
    .init = cf_init,
    .getattr = cf_getattr,
    .access = cf_access,
    .readlink = cf_readlink,
    .opendir = cf_opendir,
    .releasedir = cf_releasedir,
    .readdir = cf_readdir,
    .mkdir = cf_mkdir,
    .unlink = cf_unlink,
    .rmdir = cf_rmdir,
    .symlink = cf_symlink,
    .rename = cf_rename,
    .link = cf_link,
    .chmod = cf_chmod,
    .truncate = cf_truncate,
    .utimens = cf_utimens,
    .create = cf_create,
    .open = cf_open,
    .read = cf_read,
    .write = cf_write,
    .statfs = cf_statfs,
    .release = cf_release,
    .fsync = cf_fsync,
};

int main(int argc, char *argv[]) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s BACKING_DIR MOUNTPOINT [FUSE options]\n",
            argv[0]);
    return 2;
  }
  if (realpath(argv[1], g_backing) == NULL) {
    perror(argv[1]);
    return 2;
  }
  // FUSE sees the program name, the mount point and the options.
  argv[1] = argv[0];
  return fuse_main(argc - 1, argv + 1, &k_operations, NULL);
}
