using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using BoxFusion.Fusion;

namespace BoxFusion.Json
{
    /// <summary>
    /// Reads results files into a <see cref="DetectionEnsemble"/>: the files are parsed at once on several threads,
    /// each straight into chunks of the ensemble's entries, and joined into the ensemble in file order (the chunks are
    /// taken as they are), so the ensemble is the one reading them one after another gives, with no object made per record.
    /// </summary>
    public static class EnsembleReading
    {
        /// <summary>Records parsed between two looks at the stop signal (a millisecond or so).</summary>
        private const int CancelCheck = 4096;

        /// <summary>
        /// Adds every good record of the files, file after file, each file's records as model <paramref name="models"/>[i].
        /// Returns each file's reader (skipped records, counts). A file that fails throws its error after its records before the fault.
        /// </summary>
        /// <param name="threads">Files parsed at once; 0: one per core.</param>
        public static CocoResultReader[] Read(DetectionEnsemble ensemble, IReadOnlyList<string> paths, IReadOnlyList<string> models,
            int threads = 0, CancellationToken cancel = default)
        {
            if (ensemble == null) throw new ArgumentNullException(nameof(ensemble));
            if (paths == null) throw new ArgumentNullException(nameof(paths));
            if (models == null) throw new ArgumentNullException(nameof(models));
            if (models.Count != paths.Count) throw new ArgumentException("One model name per file is needed.", nameof(models));
            var readers = new CocoResultReader[paths.Count];
            if (paths.Count == 0) return readers;
            // Each file's entries carry the model index its name will get if every file before it has records; a file
            // whose guess turns out wrong has its entries' model rewritten when it is joined.
            var foreseen = ensemble.ForeseeModels(models);
            var files = new FileRead[paths.Count];
            for (int i = 0; i < files.Length; i++) files[i] = new FileRead(paths[i], models[i], foreseen[i]);
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                var workers = FileWorkers.Start(files.Length, threads, f => files[f].Parse(stop.Token), stop.Token);
                try
                {
                    for (int i = 0; i < files.Length; i++)
                    {
                        var file = files[i];
                        file.Done.Wait(cancel);
                        cancel.ThrowIfCancellationRequested(); // a file cut short by the stop is not joined
                        readers[i] = file.Reader;
                        // Registered at the file's first record, as adding its detections one by one does.
                        if (file.Entries.Count > 0) ensemble.Adopt(file.Entries, file.Ids, ensemble.ModelOf(models[i] ?? string.Empty), file.Model);
                        file.Failure?.Throw();
                    }
                }
                finally
                {
                    stop.Cancel();
                    try { Task.WaitAll(workers, CancellationToken.None); } catch (AggregateException) { }
                    foreach (var file in files) file.Dispose();
                }
            }
            ensemble.Settle();
            return readers;
        }

        /// <summary>The block's records as entries of model <paramref name="model"/>, in order.</summary>
        public static void Add(DetectionEnsemble ensemble, RecordBlock block, int model)
        {
            if (ensemble == null) throw new ArgumentNullException(nameof(ensemble));
            if (block == null) throw new ArgumentNullException(nameof(block));
            if (block.Detections != null)
            {
                for (int i = 0; i < block.Count; i++) ensemble.Add(block.Detections[i]);
                return;
            }
            // A reader filled the block with good records only: they need no second check.
            ensemble.AddRead(block.ImageIds, block.CategoryIds, block.Scores, block.X, block.Y, block.Widths, block.Heights, block.Masks, block.Count, model);
        }

        /// <summary>One file parsed on a worker: its good records as entries, the image of each run of them, its reader and its fault.</summary>
        private sealed class FileRead : IDisposable
        {
            private readonly string path, modelName;

            public FileRead(string path, string modelName, int model)
            {
                this.path = path;
                this.modelName = modelName;
                Model = model;
            }

            public readonly int Model;
            public readonly EntryLog Entries = new EntryLog(1024);
            public readonly List<object> Ids = new List<object>();
            public readonly ManualResetEventSlim Done = new ManualResetEventSlim();
            public CocoResultReader Reader;
            public ExceptionDispatchInfo Failure;

            public void Dispose()
            {
                Done.Dispose();
                Reader?.Dispose();
            }

            public void Parse(CancellationToken stop)
            {
                try
                {
                    using (var reader = Reader = new CocoResultReader(path, modelName))
                    {
                        var entries = Entries;
                        int model = Model;
                        object lastId = null;
                        for (int n = 1; reader.TryReadValues(out RecordValues v); n++)
                        {
                            if (!ReferenceEquals(v.ImageId, lastId))
                            {
                                lastId = v.ImageId;
                                Ids.Add(lastId);
                                entries.StartRun(Ids.Count - 1);
                            }
                            entries.Add(new EnsembleEntry(v.CategoryId, v.Score, v.X, v.Y, v.Width, v.Height, model), v.Mask);
                            if (n % CancelCheck == 0) stop.ThrowIfCancellationRequested();
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception e)
                {
                    Failure = ExceptionDispatchInfo.Capture(e); // thrown at the file's turn, after its records before the fault
                }
                finally
                {
                    Done.Set();
                }
            }
        }
    }
}
