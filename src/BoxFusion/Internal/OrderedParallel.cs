using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Work items on worker threads, results handed back on the calling (pipeline) thread in item order, so a cmdlet can
    /// write its output, errors and progress while the workers go on.
    /// </summary>
    internal static class OrderedParallel
    {
        /// <summary>
        /// Runs work(i) for every i below count on up to <paramref name="threads"/> threads and calls emit(i, result) on
        /// this thread in order of i. Cancelling stops new items, waits for the running ones, then throws
        /// <see cref="OperationCanceledException"/>.
        /// </summary>
        public static void Run<T>(int count, int threads, Func<int, T> work, Action<int, T> emit, CancellationToken cancel)
        {
            var results = new T[count];
            var ready = new bool[count];
            using (var finished = new BlockingCollection<int>())
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                var workers = Task.Run(() =>
                {
                    try
                    {
                        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = stop.Token };
                        Parallel.For(0, count, options, i =>
                        {
                            results[i] = work(i);
                            finished.Add(i);
                        });
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    finally
                    {
                        finished.CompleteAdding();
                    }
                }, CancellationToken.None);   // the workers watch 'stop' themselves, so the task always runs to its finally
                try
                {
                    int next = 0;
                    foreach (int i in finished.GetConsumingEnumerable(cancel))
                    {
                        ready[i] = true;
                        while (next < count && ready[next])
                        {
                            emit(next, results[next]);
                            results[next] = default(T);
                            next++;
                        }
                    }
                }
                catch
                {
                    stop.Cancel();   // the consumer failed or was stopped (Ctrl+C, Select-Object -First): no more items
                    throw;
                }
                finally
                {
                    // no file may still be written after the cmdlet has returned
                    try { workers.Wait(CancellationToken.None); } catch (AggregateException) { }
                }
                if (workers.IsFaulted) throw workers.Exception.InnerException;
                cancel.ThrowIfCancellationRequested();
            }
        }
    }
}
