/* SPDX-License-Identifier: Apache-2.0 */
/* peak-rss: run a command and report its peak memory, for the tests that
   hold the programs to a memory bound (memory-bounds.sh).

   Usage: peak-rss FILE COMMAND [ARG]...
   Runs COMMAND with the standard streams it inherits, writes to FILE the
   largest resident set it had, in KiB (getrusage's ru_maxrss), and exits
   with its status (128 + N if signal N killed it).  Built with
   AddressSanitizer the figures would measure its shadow memory rather
   than the program, so that build exits 77 (the Automake SKIP) at once;
   so does "peak-rss --probe" in every build but that one.  */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined __SANITIZE_ADDRESS__
# define SANITIZED 1
#elif defined __has_feature
# if __has_feature (address_sanitizer)
#  define SANITIZED 1
# endif
#endif
#ifndef SANITIZED
# define SANITIZED 0
#endif

int
main (int argc, char **argv)
{
  if (SANITIZED)
    {
      fputs ("peak-rss: built with AddressSanitizer; no figures\n", stderr);
      return 77;
    }
  if (argc == 2 && strcmp (argv[1], "--probe") == 0)
    return 0;
  if (argc < 3)
    {
      fputs ("usage: peak-rss FILE COMMAND [ARG]...\n", stderr);
      return 99;
    }

  pid_t pid = fork ();
  if (pid < 0)
    {
      perror ("peak-rss: fork");
      return 99;
    }
  if (pid == 0)
    {
      execvp (argv[2], argv + 2);
      fprintf (stderr, "peak-rss: %s: %s\n", argv[2], strerror (errno));
      _exit (127);
    }

  int status;
  struct rusage ru;
  while (wait4 (pid, &status, 0, &ru) < 0)
    if (errno != EINTR)
      {
        perror ("peak-rss: wait4");
        return 99;
      }
  FILE *f = fopen (argv[1], "w");
  if (!f || fprintf (f, "%ld\n", ru.ru_maxrss) < 0 || fclose (f) != 0)
    {
      fprintf (stderr, "peak-rss: %s: %s\n", argv[1], strerror (errno));
      return 99;
    }
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return WEXITSTATUS (status);
}
