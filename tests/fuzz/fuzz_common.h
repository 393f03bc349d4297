/* fuzz_common.h - shared by the fuzz drivers (tests/fuzz/README in docs/fuzzing.md). */
#ifndef NECKMD_FUZZ_COMMON_H
#define NECKMD_FUZZ_COMMON_H
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Comm Comm;
/* The one-rank MPI world (fuzz_common.c, set up by LLVMFuzzerInitialize). */
extern Comm *fuzz_comm;

/* error_all/error_one jump here (fuzz_error.c) with 1 or 2. */
extern jmp_buf fuzz_error_jump;
extern char fuzz_error_message[2048];

/* Remember the blocks the engine allocates from now on; free those still held (after an
 * error stopped the code that owned them). fuzz_alloc.c. */
void fuzz_alloc_begin(void);
void fuzz_alloc_end(void);

/* Write data to a private temporary file and return its path (static buffer). */
const char *fuzz_write_file(const uint8_t *data, size_t size, const char *suffix);

#endif
