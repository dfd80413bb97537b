using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using BoxFusion.Json;

namespace BoxFusion.Fusion
{
    /// <summary>A file that no longer gives the records it gave on the first reading (changed, truncated, removed).</summary>
    public sealed class FileChangedException : Exception
    {
        public FileChangedException(string path, string message, Exception inner = null)
            : base("'" + path + "' changed while it was being read: " + message, inner)
        {
            Path = path;
        }

        public string Path { get; }
    }

    /// <summary>
    /// Reads a known number of good records of a results file on its own thread (parsing ahead of the caller, in
    /// batches, a few at most), for a second reading whose records must be those of the first. Fewer records, or a
    /// file that fails before them, is a <see cref="FileChangedException"/> from <see cref="Next"/>.
    /// </summary>
    internal sealed class FileFeed : IDisposable
    {
        private const int BatchSize = 512;
        private readonly BlockingCollection<Detection[]> queue = new BlockingCollection<Detection[]>(boundedCapacity: 4);
        private readonly CancellationTokenSource stop;
        private readonly CancellationToken cancel;
        private readonly Task worker;
        private readonly string path;
        private Detection[] batch = Array.Empty<Detection>();
        private int next;
        private Exception failure;
        private long position, length = -1;

        public FileFeed(string path, string model, long count, CancellationToken cancel)
        {
            this.path = path;
            this.cancel = cancel;
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            worker = Task.Factory.StartNew(() => Read(path, model, count), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        /// <summary>Bytes parsed so far and the file's length (-1 until open), for progress.</summary>
        public long Position => Interlocked.Read(ref position);
        public long Length => Interlocked.Read(ref length);

        private void Read(string file, string model, long count)
        {
            try
            {
                using (var reader = new CocoResultReader(file, model))
                {
                    Interlocked.Exchange(ref length, reader.Length);
                    long left = count;
                    while (left > 0)
                    {
                        var chunk = new Detection[(int)Math.Min(BatchSize, left)];
                        int n = 0;
                        while (n < chunk.Length && reader.TryRead(out var d)) chunk[n++] = d;
                        if (n > 0)
                        {
                            if (n < chunk.Length) Array.Resize(ref chunk, n);
                            Interlocked.Exchange(ref position, reader.Position);
                            queue.Add(chunk, stop.Token);
                        }
                        left -= n;
                        if (n < chunk.Length)
                        {
                            failure = new FileChangedException(file, string.Format(CultureInfo.InvariantCulture,
                                "it now ends after {0} good records; it had {1}.", count - left, count));
                            break;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failure = new FileChangedException(file, e.Message, e);
            }
            finally
            {
                queue.CompleteAdding();
            }
        }

        /// <summary>The next record; waits for the reader if need be. Throws OperationCanceledException when cancelled.</summary>
        public Detection Next()
        {
            if (next < batch.Length) return batch[next++];
            if (!queue.TryTake(out batch, Timeout.Infinite, cancel))
            {
                batch = Array.Empty<Detection>();
                worker.Wait(cancel);
                throw failure ?? new FileChangedException(path, "it gave fewer records than before.");
            }
            next = 1;
            return batch[0];
        }

        public void Dispose()
        {
            stop.Cancel();
            try { worker.Wait(); } catch (AggregateException) { }
            queue.Dispose();
            stop.Dispose();
        }
    }
}
