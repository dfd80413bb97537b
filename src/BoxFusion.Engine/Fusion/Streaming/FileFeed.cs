using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
    /// batches, a few at most), for a second reading whose records must be those of the first. The records come as
    /// values, ensemble entries of one model and their image ids, never as Detection objects: a second reading of
    /// millions of records then makes almost no garbage (the batches serve again once the caller has copied them).
    /// Fewer records, or a file that fails before them, is a <see cref="FileChangedException"/>.
    /// </summary>
    internal sealed class FileFeed : IDisposable
    {
        /// <summary>Records per batch: its entries (48 bytes each) stay below the large object heap's 85,000 bytes.</summary>
        private const int BatchSize = 1024;
        private readonly BlockingCollection<FeedBatch> queue = new BlockingCollection<FeedBatch>(boundedCapacity: 4);
        private readonly ConcurrentBag<FeedBatch> spare = new ConcurrentBag<FeedBatch>();
        private readonly CancellationTokenSource stop;
        private readonly CancellationToken cancel;
        private readonly Task worker;
        private readonly string path;
        private FeedBatch batch;
        private int next;
        private Exception failure;
        private long position, length = -1;

        /// <param name="model">The model name the reader gives the records (as on the first reading).</param>
        /// <param name="modelIndex">The model index the entries carry.</param>
        public FileFeed(string path, string model, int modelIndex, long count, CancellationToken cancel)
        {
            this.path = path;
            this.cancel = cancel;
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            worker = Task.Factory.StartNew(() => Read(path, model, modelIndex, count), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        /// <summary>Bytes parsed so far and the file's length (-1 until open), for progress.</summary>
        public long Position => Interlocked.Read(ref position);
        public long Length => Interlocked.Read(ref length);

        private void Read(string file, string model, int modelIndex, long count)
        {
            try
            {
                using (var reader = new CocoResultReader(file, model))
                {
                    Interlocked.Exchange(ref length, reader.Length);
                    long left = count;
                    while (left > 0)
                    {
                        var chunk = spare.TryTake(out var reused) ? reused : new FeedBatch(BatchSize);
                        int want = (int)Math.Min(BatchSize, left), n = chunk.Fill(reader, want, modelIndex);
                        if (n > 0)
                        {
                            Interlocked.Exchange(ref position, reader.Position);
                            queue.Add(chunk, stop.Token);
                        }
                        left -= n;
                        if (n < want)
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

        /// <summary>The batch holding the next record, and that record's index in it; waits for the reader if need be.
        /// Throws OperationCanceledException when cancelled.</summary>
        private FeedBatch Current()
        {
            if (batch != null && next < batch.Count) return batch;
            if (batch != null) spare.Add(batch); // copied by the caller: it serves again
            batch = null;
            if (!queue.TryTake(out var taken, Timeout.Infinite, cancel))
            {
                worker.Wait(cancel);
                throw failure ?? new FileChangedException(path, "it gave fewer records than before.");
            }
            batch = taken;
            next = 0;
            return batch;
        }

        /// <summary>
        /// Copies the next <paramref name="count"/> records into <paramref name="into"/>; each must be of image
        /// <paramref name="imageId"/>, else the file changed.
        /// </summary>
        public void Take(int count, object imageId, List<EnsembleEntry> into)
        {
            while (count > 0)
            {
                var from = Current();
                int n = Math.Min(count, from.Count - next);
                for (int k = next; k < next + n; k++)
                {
                    var id = from.ImageIds[k];
                    if (!(ReferenceEquals(id, imageId) || imageId.Equals(id)))
                    {
                        throw new FileChangedException(path, string.Format(CultureInfo.InvariantCulture,
                            "a record of image {0} is now where one of image {1} was.", BoxFusion.ImageIds.Describe(id), BoxFusion.ImageIds.Describe(imageId)));
                    }
                    into.Add(from.Entries[k]);
                }
                next += n;
                count -= n;
            }
        }

        /// <summary>Adds the next <paramref name="count"/> records to <paramref name="ensemble"/> (with their masks), calling <paramref name="progress"/> per batch.</summary>
        public void AddTo(DetectionEnsemble ensemble, long count, Action progress = null)
        {
            while (count > 0)
            {
                var from = Current();
                int n = (int)Math.Min(count, from.Count - next);
                for (int k = next; k < next + n; k++)
                {
                    var e = from.Entries[k];
                    ensemble.Add(from.ImageIds[k], e.CategoryId, e.Score, e.X, e.Y, e.Width, e.Height, e.Model, from.Masks?[k]);
                }
                next += n;
                count -= n;
                progress?.Invoke();
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            try { worker.Wait(); } catch (AggregateException) { }
            queue.Dispose();
            stop.Dispose();
        }

        /// <summary>Consecutive records as ensemble entries and image ids (masks only if a record has one).</summary>
        private sealed class FeedBatch
        {
            public readonly object[] ImageIds;
            public readonly EnsembleEntry[] Entries;
            public Mask[] Masks;
            public int Count;

            public FeedBatch(int capacity)
            {
                ImageIds = new object[capacity];
                Entries = new EnsembleEntry[capacity];
            }

            /// <summary>Reads up to <paramref name="want"/> good records; fewer only at the end of the file.</summary>
            public int Fill(CocoResultReader reader, int want, int model)
            {
                Count = 0;
                if (Masks != null) Array.Clear(Masks, 0, Masks.Length);
                while (Count < want && reader.TryReadValues(out RecordValues v))
                {
                    int i = Count++;
                    ImageIds[i] = v.ImageId;
                    Entries[i] = new EnsembleEntry(v.CategoryId, v.Score, v.X, v.Y, v.Width, v.Height, model);
                    if (v.Mask != null) (Masks ?? (Masks = new Mask[ImageIds.Length]))[i] = v.Mask;
                }
                return Count;
            }
        }
    }
}
