/*
 * Starts a thread and returns what it computed. pthread_create is the symbol that tells where this
 * was compiled: against glibc >= 2.34 it is pthread_create@GLIBC_2.34, which older platforms lack.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>

static void *work(void *arg) {
    *(long *)arg = 42;
    return NULL;
}

static PyObject *run_thread(PyObject *self, PyObject *unused) {
    pthread_t thread;
    long value = 0;
    if (pthread_create(&thread, NULL, work, &value) != 0 || pthread_join(thread, NULL) != 0) {
        PyErr_SetString(PyExc_OSError, "pthread_create or pthread_join failed");
        return NULL;
    }
    return PyLong_FromLong(value);
}

static PyMethodDef methods[] = {
    {"run_thread", run_thread, METH_NOARGS, "Start a thread; return what it computed (42)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "diracos_example_ext", "C extension of the example DIRACOS", -1, methods};

PyMODINIT_FUNC PyInit_diracos_example_ext(void) {
    return PyModule_Create(&module);
}
