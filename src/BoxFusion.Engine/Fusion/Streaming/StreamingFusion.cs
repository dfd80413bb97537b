using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// Fuses result files grouped by image by reading them again side by side, holding only the images in flight.
    /// The images, their boxes and their order are those a <see cref="DetectionEnsemble"/> of the same files would
    /// have, so the output is the same bytes: images come in order of first appearance over the files in order (known
    /// from the first reading, <see cref="EnsembleLayout"/>), and an image's boxes in model order, then file order,
    /// then record order. A run of records met before its image's turn (another file's order differs, or an earlier
    /// file lacks the image) waits in memory until then.
    /// </summary>
    public sealed class StreamingFusion : IFusionSource
    {
        /// <summary>Images fused per batch: enough to keep every core busy, few enough to stay small.</summary>
        private const int Window = 64;
        private readonly LayoutFile[] files;
        private readonly object[] imageIds;
        private readonly string[] models;
        private readonly int[] fileModel;
        private readonly int[] runImage, runCount, runFile;
        /// <summary>The runs of image i are imageRuns[imageRunStart[i] .. imageRunStart[i + 1]), in the order its boxes go.</summary>
        private readonly int[] imageRunStart, imageRuns;
        private readonly long detectionCount;

        internal StreamingFusion(EnsembleLayout layout)
        {
            if (layout.State != LayoutState.Streaming) throw new InvalidOperationException("The files are not known to be grouped by image.");
            files = new LayoutFile[layout.Files.Count];
            for (int f = 0; f < files.Length; f++) files[f] = layout.Files[f];
            imageIds = layout.ImageIdList.ToArray();
            runImage = layout.RunImage.ToArray();
            runCount = layout.RunCount.ToArray();
            detectionCount = layout.DetectionCount;

            // Models as a DetectionEnsemble registers them: by name (ignoring case), in order of the first good record.
            var modelIndex = new Dictionary<string, int>(ModelNames.Comparer);
            var names = new List<string>();
            fileModel = new int[files.Length];
            runFile = new int[runImage.Length];
            for (int f = 0; f < files.Length; f++)
            {
                var file = files[f];
                int end = f + 1 < files.Length ? files[f + 1].FirstRun : runImage.Length;
                for (int r = file.FirstRun; r < end; r++) runFile[r] = f;
                fileModel[f] = -1;
                if (file.Count == 0) continue;
                if (!modelIndex.TryGetValue(file.Model, out int m))
                {
                    m = names.Count;
                    modelIndex.Add(file.Model, m);
                    names.Add(file.Model);
                }
                fileModel[f] = m;
            }
            models = names.ToArray();

            // Each image's runs in file order, then (when a model's files are not adjacent) in model order.
            imageRunStart = new int[imageIds.Length + 1];
            foreach (int image in runImage) imageRunStart[image + 1]++;
            for (int i = 0; i < imageIds.Length; i++) imageRunStart[i + 1] += imageRunStart[i];
            imageRuns = new int[runImage.Length];
            var fill = (int[])imageRunStart.Clone();
            for (int r = 0; r < runImage.Length; r++) imageRuns[fill[runImage[r]]++] = r;
            bool modelsInFileOrder = true;
            for (int f = 1; f < files.Length; f++)
            {
                if (fileModel[f] >= 0 && fileModel[f] < MaxModelBefore(f)) modelsInFileOrder = false;
            }
            if (!modelsInFileOrder)
            {
                var keys = new long[imageRuns.Length];
                for (int r = 0; r < keys.Length; r++) keys[r] = ((long)fileModel[runFile[imageRuns[r]]] << 32) | (uint)runFile[imageRuns[r]];
                for (int i = 0; i < imageIds.Length; i++)
                    Array.Sort(keys, imageRuns, imageRunStart[i], imageRunStart[i + 1] - imageRunStart[i]);
            }
        }

        private int MaxModelBefore(int f)
        {
            int max = -1;
            for (int g = 0; g < f; g++) max = Math.Max(max, fileModel[g]);
            return max;
        }

        public IReadOnlyList<string> Models => models;
        public IReadOnlyList<object> ImageIds => imageIds;
        public long DetectionCount => detectionCount;

        /// <summary>The most runs of records that waited in memory for their image's turn in the last reading (runs met early).</summary>
        public int PeakWaitingRuns { get; private set; }

        /// <summary>
        /// Reads the files (one thread each, parsing ahead), puts each image together in turn, fuses batches of
        /// images on <see cref="FusionOptions.MaxDegreeOfParallelism"/> threads and yields them in order while the
        /// next batch is prepared. A file that no longer gives its first reading's records throws
        /// <see cref="FileChangedException"/>; <paramref name="cancel"/> stops everything promptly.
        /// </summary>
        public IEnumerable<Detection[]> FuseInOrder(FusionContext context, double[] widths, double[] heights,
            CancellationToken cancel = default, StrongBox<int> progress = null)
        {
            if (context == null) throw new ArgumentNullException(nameof(context));
            return Fuse(context, widths, heights, progress, cancel);
        }

        private IEnumerable<Detection[]> Fuse(FusionContext context, double[] widths, double[] heights, StrongBox<int> progress, CancellationToken cancel)
        {
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            using (var windows = new BlockingCollection<Detection[][]>(boundedCapacity: 2))
            {
                PeakWaitingRuns = 0;
                var run = new Run(this, stop.Token);
                ExceptionDispatchInfo failure = null;
                var producer = Task.Factory.StartNew(() =>
                {
                    try
                    {
                        Produce(run, context, widths, heights, windows, progress, stop.Token);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }
                    catch (Exception e)
                    {
                        failure = ExceptionDispatchInfo.Capture(e is AggregateException a && a.InnerExceptions.Count == 1 ? a.InnerException : e);
                    }
                    finally
                    {
                        windows.CompleteAdding();
                    }
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                try
                {
                    foreach (var window in windows.GetConsumingEnumerable(cancel))
                    {
                        foreach (var image in window)
                        {
                            cancel.ThrowIfCancellationRequested();
                            yield return image;
                        }
                    }
                    producer.Wait(CancellationToken.None); // it has finished: the windows are complete
                    failure?.Throw();
                    cancel.ThrowIfCancellationRequested();
                }
                finally
                {
                    stop.Cancel();
                    try { producer.Wait(CancellationToken.None); } catch (AggregateException) { } // it stops at once once told
                    run.Dispose();
                }
            }
        }

        private void Produce(Run run, FusionContext context, double[] widths, double[] heights,
            BlockingCollection<Detection[][]> windows, StrongBox<int> progress, CancellationToken cancel)
        {
            int threads = context.Options.MaxDegreeOfParallelism > 0 ? context.Options.MaxDegreeOfParallelism : Environment.ProcessorCount;
            var parallel = new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = threads };
            // The boxes of a batch and the threads' scratch are reused batch after batch: streaming allocates
            // little beyond the records read and the fused detections.
            var entries = new List<EnsembleEntry>[Window];
            for (int k = 0; k < Window; k++) entries[k] = new List<EnsembleEntry>();
            var scratches = new ConcurrentBag<FusionScratch>();
            for (int from = 0; from < imageIds.Length; from += Window)
            {
                int count = Math.Min(Window, imageIds.Length - from);
                for (int k = 0; k < count; k++) run.Assemble(from + k, entries[k]);
                var fused = new Detection[count][];
                int first = from;
                Parallel.For(0, count, parallel, () => scratches.TryTake(out var reused) ? reused : new FusionScratch(), (k, state, scratch) =>
                {
                    int i = first + k;
                    double w = widths != null ? widths[i] : double.NaN;
                    double h = heights != null ? heights[i] : double.NaN;
                    fused[k] = ImageFuser.Fuse(imageIds[i], entries[k], null, w, h, context, scratch); // no masks: EnsembleLayout holds files that have any
                    if (progress != null) Interlocked.Increment(ref progress.Value);
                    return scratch;
                }, scratches.Add);
                windows.Add(fused, cancel);
            }
        }

        /// <summary>One reading of the files: a feed and a place (the next run) per file, and the runs read ahead of their turn.</summary>
        private sealed class Run : IDisposable
        {
            private readonly StreamingFusion owner;
            private readonly CancellationToken cancel;
            private readonly FileFeed[] feeds;
            private readonly int[] nextRun;
            private readonly Dictionary<int, List<EnsembleEntry>> early = new Dictionary<int, List<EnsembleEntry>>();

            public Run(StreamingFusion owner, CancellationToken cancel)
            {
                this.owner = owner;
                this.cancel = cancel;
                feeds = new FileFeed[owner.files.Length];
                nextRun = new int[owner.files.Length];
                for (int f = 0; f < nextRun.Length; f++) nextRun[f] = owner.files[f].FirstRun;
            }

            /// <summary>Puts image <paramref name="image"/>'s boxes into <paramref name="into"/>, as DetectionEnsemble.GetImage would give them.</summary>
            public void Assemble(int image, List<EnsembleEntry> into)
            {
                into.Clear();
                int a = owner.imageRunStart[image], b = owner.imageRunStart[image + 1];
                int total = 0;
                for (int j = a; j < b; j++) total += owner.runCount[owner.imageRuns[j]];
                if (into.Capacity < total) into.Capacity = total;
                for (int j = a; j < b; j++) Take(owner.imageRuns[j], into);
            }

            private void Take(int run, List<EnsembleEntry> into)
            {
                int f = owner.runFile[run];
                if (run < nextRun[f])
                {
                    into.AddRange(early[run]);
                    early.Remove(run);
                    return;
                }
                while (nextRun[f] < run)
                {
                    var waiting = new List<EnsembleEntry>(owner.runCount[nextRun[f]]);
                    ReadRun(f, nextRun[f], waiting);
                    early.Add(nextRun[f]++, waiting);
                    if (early.Count > owner.PeakWaitingRuns) owner.PeakWaitingRuns = early.Count;
                }
                ReadRun(f, nextRun[f]++, into);
            }

            private void ReadRun(int f, int run, List<EnsembleEntry> entries)
            {
                var file = owner.files[f];
                var feed = feeds[f] ?? (feeds[f] = new FileFeed(file.Path, file.Model, owner.fileModel[f], file.Count, cancel));
                feed.Take(owner.runCount[run], owner.imageIds[owner.runImage[run]], entries);
                // The file's last run: let its reader go.
                int end = f + 1 < owner.files.Length ? owner.files[f + 1].FirstRun : owner.runImage.Length;
                if (run == end - 1)
                {
                    feed.Dispose();
                    feeds[f] = null;
                }
            }

            public void Dispose()
            {
                for (int f = 0; f < feeds.Length; f++)
                {
                    feeds[f]?.Dispose();
                    feeds[f] = null;
                }
            }
        }
    }
}
