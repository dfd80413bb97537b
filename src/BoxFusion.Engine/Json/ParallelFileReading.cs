using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace BoxFusion.Json
{
    /// <summary>
    /// Reads several results files at once, each on its own worker (up to a thread limit, files taken in order), and
    /// hands their records back to one caller file by file, in file order, block by block: the caller sees exactly what
    /// reading the files one after another would give, records, failures and their order, only sooner.
    /// Memory stays bounded: the file the caller is on reads a few blocks ahead of it, and the files after it together
    /// hold a bounded number of records until their turn.
    /// With fewer files than threads, a large file can be read as parts at once (see the constructor's splitLargeFiles).
    /// </summary>
    public sealed class ParallelFileReading : IDisposable
    {
        /// <summary>Records per block: small enough for a prompt stop, large enough that handing blocks over costs nothing.</summary>
        public const int BlockSize = 4096;
        /// <summary>Records the files after the caller's may hold: about 4 MB of detections (cmdlets whose memory is held low, as
        /// Merge-Detection's streaming first reading) or 15 MB of values (an ensemble, which will hold them all anyway).</summary>
        public const long DefaultAheadDetections = 1L << 15, DefaultAheadValues = 1L << 18;
        /// <summary>A file is cut into parts only if each part has at least this many bytes (about 40,000 records).</summary>
        public const long DefaultMinPartBytes = 4L << 20;
        /// <summary>Blocks the caller's file may read ahead of the caller.</summary>
        private const int QueuedBlocksOfCurrent = 8;

        private readonly IReadOnlyList<string> paths, models;
        private readonly bool detections;
        private readonly long aheadRecords;
        private readonly Func<string, string, CocoResultReader> open;
        private readonly Part[] parts;      // every file's parts, file after file
        private readonly int[] firstPart;   // per file, its first part; one more entry for the end
        private readonly Task[] workers;
        private readonly CancellationTokenSource stop;
        private readonly CancellationToken cancel;
        private readonly object gate = new object();
        private int currentFile; // the file the caller is on (or will be next)
        private int current;     // the part the caller is on (or will be next)
        private long heldAhead;  // records in blocks not yet handed to the caller, parts after the caller's
        private readonly ConcurrentBag<RecordBlock> spare = new ConcurrentBag<RecordBlock>();

        /// <param name="threads">Files read at once; 0 or less: one per core. Never more than the files.</param>
        /// <param name="detections">True: blocks of <see cref="Detection"/> objects; false: blocks of values (see <see cref="EnsembleReading"/>).</param>
        /// <param name="aheadRecords">Records the files after the caller's may hold; -1: the default for the kind of block.</param>
        /// <param name="open">Opens a file's reader (tests give readers over memory); default: the file on disk.</param>
        /// <param name="splitLargeFiles">
        /// With fewer files than threads, read each file of at least two parts of <paramref name="minPartBytes"/> as parts
        /// at once (files on disk only): for a caller that keeps every record anyway, since later parts hold their records
        /// (up to <paramref name="aheadRecords"/>) until the caller comes to them. The records, failures and counts are
        /// those of reading the file from start to end.
        /// </param>
        public ParallelFileReading(IReadOnlyList<string> paths, IReadOnlyList<string> models, int threads, bool detections,
            long aheadRecords = -1, Func<string, string, CocoResultReader> open = null,
            bool splitLargeFiles = false, long minPartBytes = DefaultMinPartBytes, CancellationToken cancel = default)
        {
            this.paths = paths ?? throw new ArgumentNullException(nameof(paths));
            this.models = models ?? throw new ArgumentNullException(nameof(models));
            if (models.Count != paths.Count) throw new ArgumentException("One model name per file is needed.", nameof(models));
            this.detections = detections;
            this.aheadRecords = aheadRecords >= 0 ? aheadRecords : detections ? DefaultAheadDetections : DefaultAheadValues;
            this.open = open ?? ((path, model) => new CocoResultReader(path, model));
            this.cancel = cancel;
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            int threadCount = threads > 0 ? threads : Environment.ProcessorCount;
            int partsPerFile = splitLargeFiles && open == null && paths.Count > 0 ? threadCount / paths.Count : 1;
            var all = new List<Part>();
            firstPart = new int[paths.Count + 1];
            for (int f = 0; f < paths.Count; f++)
            {
                firstPart[f] = all.Count;
                all.AddRange(PartsOf(f, partsPerFile, Math.Max(1, minPartBytes)));
            }
            firstPart[paths.Count] = all.Count;
            parts = all.ToArray();
            workers = FileWorkers.Start(parts.Length, threads, Read, stop.Token);
        }

        /// <summary>Files read at once.</summary>
        public int Threads => workers.Length;

        /// <summary>The parts file <paramref name="file"/> is read as (1 unless split).</summary>
        public int PartCount(int file) => firstPart[file + 1] - firstPart[file];

        /// <summary>The file as <paramref name="count"/> parts (fewer where no cut is found), or whole.</summary>
        private IEnumerable<Part> PartsOf(int file, int count, long minPartBytes)
        {
            var cuts = new List<FileCut>();
            if (count > 1)
            {
                try
                {
                    using (var stream = new FileStream(paths[file], FileMode.Open, FileAccess.Read, FileShare.Read, 1))
                    {
                        count = (int)Math.Min(count, stream.Length / minPartBytes);
                        if (count > 1) cuts = FileCuts.Find(stream, count);
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // Read whole: the reader reports the problem as reading the file would.
                }
            }
            for (int k = 0; k <= cuts.Count; k++)
            {
                var ends = new long[cuts.Count - k];
                for (int i = k; i < cuts.Count; i++) ends[i - k] = cuts[i].RecordEnd;
                yield return new Part(file, k, k == 0 ? 0 : cuts[k - 1].NextStart, ends, stop.Token);
            }
        }

        /// <summary>
        /// The good records of file <paramref name="index"/>, in order; files must be taken in order, each once.
        /// After the records before a fault, the fault is thrown as the file's reader threw it (a
        /// <see cref="ResultFileException"/>, or the IOException of opening it). Cancelling throws OperationCanceledException.
        /// </summary>
        public IEnumerable<RecordBlock> ReadFile(int index)
        {
            if (index != currentFile) throw new InvalidOperationException("Files are taken in order: file " + currentFile + " is next, not " + index + ".");
            int p = firstPart[index], end = firstPart[index + 1];
            var head = parts[p];
            while (true)
            {
                var part = parts[p];
                lock (gate)
                {
                    current = p;
                    Monitor.PulseAll(gate);
                }
                foreach (var block in part.Blocks.GetConsumingEnumerable(cancel))
                {
                    yield return block;
                    lock (gate)
                    {
                        part.Queued--;
                        if (block.Counted) heldAhead -= block.Count;
                        Monitor.PulseAll(gate);
                    }
                    // The caller has copied a block of values (an ensemble does): its arrays serve again, which spares
                    // the garbage collector most of what reading allocates. Blocks of objects go out with the objects.
                    if (!detections) spare.Add(block);
                }
                int next = end;
                var failure = part.Failure;
                if (part != head && part.Reader != null)
                {
                    // A later part counts its records from 0: number them after the ones before it.
                    if (failure?.SourceException is ResultFileException e) failure = ExceptionDispatchInfo.Capture(e.AfterRecords(head.Reader.RecordCount));
                    head.Reader.Absorb(part.Reader);
                }
                if (failure == null && part.Reader != null && part.Reader.PartEndReached >= 0) next = p + 1 + part.Reader.PartEndReached;
                // Parts the reader read through (a wrong cut), or never reached (a fault), are dropped.
                for (int skipped = p + 1; skipped < (failure == null ? next : end); skipped++) Drop(parts[skipped]);
                if (failure != null || next >= end)
                {
                    lock (gate)
                    {
                        currentFile = index + 1;
                        current = end;
                        Monitor.PulseAll(gate);
                    }
                    failure?.Throw();
                    yield break;
                }
                p = next;
            }
        }

        /// <summary>File <paramref name="index"/>'s reader once <see cref="ReadFile"/> has ended or failed (skipped records, counts); null if the file could not be opened.</summary>
        public CocoResultReader Reader(int index) => parts[firstPart[index]].Reader;

        /// <summary>Stops a part whose records turned out not to be the file's, and frees what it holds.</summary>
        private void Drop(Part part)
        {
            lock (gate)
            {
                part.Stop.Cancel();
                while (part.Blocks.TryTake(out var block))
                {
                    if (block.Counted) heldAhead -= block.Count;
                    if (!detections) spare.Add(block.Reset());
                }
                part.Queued = 0;
                Monitor.PulseAll(gate);
            }
        }

        private void Read(int index)
        {
            var part = parts[index];
            RecordBlock block = null;
            try
            {
                string path = paths[part.File], model = models[part.File];
                using (var reader = part.Index == 0 ? open(path, model) : CocoResultReader.OpenPart(path, model, part.Start))
                {
                    reader.StopAtRecordEnds(part.Ends);
                    part.Reader = reader;
                    long length = reader.Length;
                    while (true)
                    {
                        block = detections || !spare.TryTake(out var reused) ? new RecordBlock(BlockSize, detections) : reused.Reset();
                        block.Length = length;
                        block.Fill(reader);
                        if (block.Count == 0) break;
                        Hand(part, index, block);
                        if (block.Count < BlockSize) break;
                        block = null;
                    }
                    block = null;
                }
            }
            catch (OperationCanceledException) when (part.Stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // The records before the fault still go to the caller, then the fault.
                if (block != null && block.Count > 0 && !part.Stop.IsCancellationRequested)
                {
                    try { Hand(part, index, block); } catch (OperationCanceledException) { }
                }
                part.Failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                part.Blocks.CompleteAdding();
            }
        }

        /// <summary>Queues a block once there is room: the caller's part a few blocks ahead, later parts within the shared budget.</summary>
        private void Hand(Part part, int index, RecordBlock block)
        {
            lock (gate)
            {
                while (true)
                {
                    part.Stop.Token.ThrowIfCancellationRequested();
                    if (index <= current ? part.Queued < QueuedBlocksOfCurrent : heldAhead + block.Count <= aheadRecords || part.Queued == 0 && heldAhead == 0) break;
                    Monitor.Wait(gate, 50);
                }
                part.Queued++;
                if (index > current)
                {
                    block.Counted = true;
                    heldAhead += block.Count;
                }
                // Added under the lock, so a part dropped meanwhile holds nothing afterwards.
                part.Blocks.Add(block);
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            lock (gate) Monitor.PulseAll(gate);
            try { Task.WaitAll(workers); } catch (AggregateException) { }
            foreach (var part in parts) part.Dispose();
            stop.Dispose();
        }

        /// <summary>A whole file, or a part of one, read by one worker.</summary>
        private sealed class Part : IDisposable
        {
            public Part(int file, int index, long start, long[] ends, CancellationToken stop)
            {
                File = file;
                Index = index;
                Start = start;
                Ends = ends;
                Stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            }

            public readonly int File, Index;
            /// <summary>The byte its records start at (0 for a whole file), and where the later parts are guessed to start.</summary>
            public readonly long Start;
            public readonly long[] Ends;
            public readonly CancellationTokenSource Stop;
            public readonly BlockingCollection<RecordBlock> Blocks = new BlockingCollection<RecordBlock>();
            public volatile CocoResultReader Reader;
            public ExceptionDispatchInfo Failure;
            public int Queued;

            public void Dispose()
            {
                Blocks.Dispose();
                Stop.Dispose();
            }
        }
    }
}
