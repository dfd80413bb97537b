using System;
using System.Threading;
using System.Threading.Tasks;

namespace BoxFusion.Json
{
    /// <summary>
    /// The worker threads of the parallel file readers: each takes the next file by index, so files start in order and
    /// the caller, which joins them in order, is waited on as little as possible.
    /// </summary>
    internal static class FileWorkers
    {
        /// <summary>Starts up to <paramref name="threads"/> workers (0: one per core, never more than the files) that run <paramref name="read"/> for each file index, until all are taken or <paramref name="stop"/> is set.</summary>
        public static Task[] Start(int fileCount, int threads, Action<int> read, CancellationToken stop)
        {
            int next = -1;
            var workers = new Task[Math.Min(threads > 0 ? threads : Environment.ProcessorCount, fileCount)];
            for (int w = 0; w < workers.Length; w++)
            {
                workers[w] = Task.Factory.StartNew(() =>
                {
                    for (int file; !stop.IsCancellationRequested && (file = Interlocked.Increment(ref next)) < fileCount;) read(file);
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            return workers;
        }
    }
}
