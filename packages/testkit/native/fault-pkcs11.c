/*
 * kyso testkit: a PKCS#11 module that forwards every call to a real module (SoftHSM2) and adds what
 * SoftHSM2 lacks for testing PIN safety and failures:
 *  - a real user-PIN retry counter: after KYSO_FAULT_MAX_TRIES wrong PINs (default 3) the token is
 *    locked and C_Login returns CKR_PIN_LOCKED; C_GetTokenInfo reports CKF_USER_PIN_COUNT_LOW,
 *    CKF_USER_PIN_FINAL_TRY and CKF_USER_PIN_LOCKED as a real token would (or, with
 *    KYSO_FAULT_SILENT_FLAGS=1, never reports them, as some tokens do);
 *  - one-shot failures: when the file named by KYSO_FAULT_CONTROL holds "C_Sign CKR_DEVICE_REMOVED"
 *    (a function name or "*", and a return value), the next call of that function returns it and
 *    the file is emptied.
 * The real module is named by KYSO_FAULT_REAL_MODULE. State lives in this process only.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CK_PTR *
#define CK_DECLARE_FUNCTION(returnType, name) returnType name
#define CK_DECLARE_FUNCTION_POINTER(returnType, name) returnType(*name)
#define CK_CALLBACK_FUNCTION(returnType, name) returnType(*name)
#ifndef NULL_PTR
#define NULL_PTR 0
#endif
#include "pkcs11.h"

static CK_FUNCTION_LIST real;
static CK_FUNCTION_LIST wrapped;
static int loaded = 0;
static int failures = 0;
static int locked = 0;

static int max_tries(void) {
  const char *v = getenv("KYSO_FAULT_MAX_TRIES");
  int n = v ? atoi(v) : 3;
  return n > 0 ? n : 3;
}

static int silent_flags(void) {
  const char *v = getenv("KYSO_FAULT_SILENT_FLAGS");
  return v && strcmp(v, "1") == 0;
}

static const struct { const char *name; CK_RV rv; } CODES[] = {
  {"CKR_DEVICE_REMOVED", CKR_DEVICE_REMOVED},
  {"CKR_SESSION_HANDLE_INVALID", CKR_SESSION_HANDLE_INVALID},
  {"CKR_TOKEN_NOT_PRESENT", CKR_TOKEN_NOT_PRESENT},
  {"CKR_DEVICE_ERROR", CKR_DEVICE_ERROR},
  {"CKR_GENERAL_ERROR", CKR_GENERAL_ERROR},
  {"CKR_FUNCTION_FAILED", CKR_FUNCTION_FAILED},
};

/* The injected failure for `fn`, or CKR_OK. Consumes the instruction. */
static CK_RV injected(const char *fn) {
  const char *path = getenv("KYSO_FAULT_CONTROL");
  if (!path) return CKR_OK;
  FILE *f = fopen(path, "r");
  if (!f) return CKR_OK;
  char target[64] = {0}, code[64] = {0};
  int n = fscanf(f, "%63s %63s", target, code);
  fclose(f);
  if (n != 2) return CKR_OK;
  if (strcmp(target, "*") != 0 && strcmp(target, fn) != 0) return CKR_OK;
  for (size_t i = 0; i < sizeof(CODES) / sizeof(CODES[0]); i++) {
    if (strcmp(CODES[i].name, code) == 0) {
      f = fopen(path, "w");
      if (f) fclose(f);
      return CODES[i].rv;
    }
  }
  return CKR_OK;
}

#define INJECT(fn) do { CK_RV _rv = injected(#fn); if (_rv != CKR_OK) return _rv; } while (0)

static CK_RV W_C_Login(CK_SESSION_HANDLE s, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  INJECT(C_Login);
  if (user != CKU_USER) return real.C_Login(s, user, pin, len);
  if (locked) return CKR_PIN_LOCKED;
  CK_RV rv = real.C_Login(s, user, pin, len);
  if (rv == CKR_PIN_INCORRECT) {
    failures++;
    if (failures >= max_tries()) locked = 1;
  } else if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
    failures = 0;
  }
  return rv;
}

static CK_RV W_C_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  INJECT(C_GetTokenInfo);
  CK_RV rv = real.C_GetTokenInfo(slot, info);
  if (rv != CKR_OK) return rv;
  info->flags &= ~(CK_FLAGS)(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
  if (silent_flags()) return rv;
  if (locked) info->flags |= CKF_USER_PIN_LOCKED;
  else if (failures > 0) {
    info->flags |= CKF_USER_PIN_COUNT_LOW;
    if (max_tries() - failures == 1) info->flags |= CKF_USER_PIN_FINAL_TRY;
  }
  return rv;
}

/* The security officer setting a new user PIN is how a locked token is recovered. */
static CK_RV W_C_InitPIN(CK_SESSION_HANDLE s, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  CK_RV rv = real.C_InitPIN(s, pin, len);
  if (rv == CKR_OK) { failures = 0; locked = 0; }
  return rv;
}

static CK_RV W_C_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR s) {
  INJECT(C_OpenSession);
  return real.C_OpenSession(slot, flags, app, notify, s);
}

static CK_RV W_C_SignInit(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
  INJECT(C_SignInit);
  return real.C_SignInit(s, m, k);
}

static CK_RV W_C_Sign(CK_SESSION_HANDLE s, CK_BYTE_PTR d, CK_ULONG dl, CK_BYTE_PTR sig, CK_ULONG_PTR sl) {
  INJECT(C_Sign);
  return real.C_Sign(s, d, dl, sig, sl);
}

static CK_RV W_C_FindObjectsInit(CK_SESSION_HANDLE s, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
  INJECT(C_FindObjectsInit);
  return real.C_FindObjectsInit(s, t, n);
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  if (!loaded) {
    const char *path = getenv("KYSO_FAULT_REAL_MODULE");
    if (!path) return CKR_GENERAL_ERROR;
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) return CKR_GENERAL_ERROR;
    CK_RV (*get)(CK_FUNCTION_LIST_PTR_PTR) = (CK_RV(*)(CK_FUNCTION_LIST_PTR_PTR))dlsym(lib, "C_GetFunctionList");
    CK_FUNCTION_LIST_PTR fl = 0;
    if (!get || get(&fl) != CKR_OK || !fl) return CKR_GENERAL_ERROR;
    real = *fl;
    wrapped = *fl;
    wrapped.C_GetFunctionList = C_GetFunctionList;
    wrapped.C_Login = W_C_Login;
    wrapped.C_GetTokenInfo = W_C_GetTokenInfo;
    wrapped.C_InitPIN = W_C_InitPIN;
    wrapped.C_OpenSession = W_C_OpenSession;
    wrapped.C_SignInit = W_C_SignInit;
    wrapped.C_Sign = W_C_Sign;
    wrapped.C_FindObjectsInit = W_C_FindObjectsInit;
    loaded = 1;
  }
  *list = &wrapped;
  return CKR_OK;
}
