"""Run one function in many threads at once, for the tests of races the database must decide."""
import threading


def run_in_threads(target, argument_tuples):
    """Start a thread of `target` for each tuple of arguments, and wait for all of them."""
    threads = [threading.Thread(target=target, args=args) for args in argument_tuples]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

