using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
    /// </summary>
    public sealed class ParallelFileReading : IDisposable
    {
        /// <summary>Records per block: small enough for a prompt stop, large enough that handing blocks over costs nothing.</summary>
        public const int BlockSize = 4096;
        /// <summary>Records the files after the caller's may hold: about 4 MB of detections (cmdlets whose memory is held low, as
        /// Merge-Detection's streaming first reading) or 15 MB of values (an ensemble, which will hold them all anyway).</summary>
        public const long DefaultAheadDetections = 1L << 15, DefaultAheadValues = 1L << 18;
        /// <summary>Blocks the caller's file may read ahead of the caller.</summary>
        private const int QueuedBlocksOfCurrent = 8;

        private readonly IReadOnlyList<string> paths, models;
        private readonly bool detections;
        private readonly long aheadRecords;
        private readonly Func<string, string, CocoResultReader> open;
        private readonly FileSlot[] slots;
        private readonly Task[] workers;
        private readonly CancellationTokenSource stop;
        private readonly CancellationToken cancel;
        private readonly object gate = new object();
        private int current;   // the file the caller is on (or will be next)
        private long heldAhead; // records in blocks not yet handed to the caller, files after the caller's
        private readonly ConcurrentBag<RecordBlock> spare = new ConcurrentBag<RecordBlock>();

        /// <param name="threads">Files read at once; 0 or less: one per core. Never more than the files.</param>
        /// <param name="detections">True: blocks of <see cref="Detection"/> objects; false: blocks of values (see <see cref="EnsembleReading"/>).</param>
        /// <param name="aheadRecords">Records the files after the caller's may hold; -1: the default for the kind of block.</param>
        /// <param name="open">Opens a file's reader (tests give readers over memory); default: the file on disk.</param>
        public ParallelFileReading(IReadOnlyList<string> paths, IReadOnlyList<string> models, int threads, bool detections,
            long aheadRecords = -1, Func<string, string, CocoResultReader> open = null, CancellationToken cancel = default)
        {
            this.paths = paths ?? throw new ArgumentNullException(nameof(paths));
            this.models = models ?? throw new ArgumentNullException(nameof(models));
            if (models.Count != paths.Count) throw new ArgumentException("One model name per file is needed.", nameof(models));
            this.detections = detections;
            this.aheadRecords = aheadRecords >= 0 ? aheadRecords : detections ? DefaultAheadDetections : DefaultAheadValues;
            this.open = open ?? ((path, model) => new CocoResultReader(path, model));
            this.cancel = cancel;
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            slots = new FileSlot[paths.Count];
            for (int i = 0; i < slots.Length; i++) slots[i] = new FileSlot();
            workers = FileWorkers.Start(slots.Length, threads, Read, stop.Token);
        }

        /// <summary>Files read at once.</summary>
        public int Threads => workers.Length;

        /// <summary>
        /// The good records of file <paramref name="index"/>, in order; files must be taken in order, each once.
        /// After the records before a fault, the fault is thrown as the file's reader threw it (a
        /// <see cref="ResultFileException"/>, or the IOException of opening it). Cancelling throws OperationCanceledException.
        /// </summary>
        public IEnumerable<RecordBlock> ReadFile(int index)
        {
            if (index != current) throw new InvalidOperationException("Files are taken in order: file " + current + " is next, not " + index + ".");
            var slot = slots[index];
            foreach (var block in slot.Blocks.GetConsumingEnumerable(cancel))
            {
                yield return block;
                lock (gate)
                {
                    slot.Queued--;
                    if (block.Counted) heldAhead -= block.Count;
                    Monitor.PulseAll(gate);
                }
                // The caller has copied a block of values (an ensemble does): its arrays serve again, which spares
                // the garbage collector most of what reading allocates. Blocks of objects go out with the objects.
                if (!detections) spare.Add(block);
            }
            lock (gate)
            {
                current = index + 1;
                Monitor.PulseAll(gate);
            }
            slot.Failure?.Throw();
        }

        /// <summary>File <paramref name="index"/>'s reader once <see cref="ReadFile"/> has ended or failed (skipped records, counts); null if the file could not be opened.</summary>
        public CocoResultReader Reader(int index) => slots[index].Reader;

        private void Read(int file)
        {
            var slot = slots[file];
            RecordBlock block = null;
            try
            {
                using (var reader = open(paths[file], models[file]))
                {
                    slot.Reader = reader;
                    long length = reader.Length;
                    while (true)
                    {
                        block = detections || !spare.TryTake(out var reused) ? new RecordBlock(BlockSize, detections) : reused.Reset();
                        block.Length = length;
                        block.Fill(reader);
                        if (block.Count == 0) break;
                        Hand(file, block);
                        if (block.Count < BlockSize) break;
                        block = null;
                    }
                    block = null;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // The records before the fault still go to the caller, then the fault.
                if (block != null && block.Count > 0 && !stop.IsCancellationRequested)
                {
                    try { Hand(file, block); } catch (OperationCanceledException) { }
                }
                slot.Failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                slot.Blocks.CompleteAdding();
            }
        }

        /// <summary>Queues a block once there is room: the caller's file a few blocks ahead, later files within the shared budget.</summary>
        private void Hand(int file, RecordBlock block)
        {
            var slot = slots[file];
            lock (gate)
            {
                while (true)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    if (file <= current ? slot.Queued < QueuedBlocksOfCurrent : heldAhead + block.Count <= aheadRecords || slot.Queued == 0 && heldAhead == 0) break;
                    Monitor.Wait(gate, 50);
                }
                slot.Queued++;
                if (file > current)
                {
                    block.Counted = true;
                    heldAhead += block.Count;
                }
            }
            slot.Blocks.Add(block);
        }

        public void Dispose()
        {
            stop.Cancel();
            lock (gate) Monitor.PulseAll(gate);
            try { Task.WaitAll(workers); } catch (AggregateException) { }
            foreach (var slot in slots) slot.Dispose();
            stop.Dispose();
        }

        private sealed class FileSlot : IDisposable
        {
            public void Dispose() => Blocks.Dispose();

            public readonly BlockingCollection<RecordBlock> Blocks = new BlockingCollection<RecordBlock>();
            public volatile CocoResultReader Reader;
            public ExceptionDispatchInfo Failure;
            public int Queued;
        }
    }
}
