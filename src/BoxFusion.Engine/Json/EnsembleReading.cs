using System;
using System.Collections.Generic;
using System.Threading;
using BoxFusion.Fusion;

namespace BoxFusion.Json
{
    /// <summary>
    /// Reads results files into a <see cref="DetectionEnsemble"/>: the files are parsed at once on several threads
    /// (<see cref="ParallelFileReading"/>), each into blocks of plain values, and joined into the ensemble in file
    /// order, so the ensemble is the one reading them one after another gives, with no object made per record.
    /// </summary>
    public static class EnsembleReading
    {
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
            var readers = new CocoResultReader[paths.Count];
            using (var reading = new ParallelFileReading(paths, models, threads, detections: false, cancel: cancel))
            {
                for (int i = 0; i < paths.Count; i++)
                {
                    int model = -1;
                    foreach (var block in reading.ReadFile(i))
                    {
                        // Registered at the file's first record, as adding its detections one by one does.
                        if (model < 0) model = ensemble.ModelOf(models[i] ?? string.Empty);
                        Add(ensemble, block, model);
                    }
                    readers[i] = reading.Reader(i);
                }
            }
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
            var ids = block.ImageIds;
            var categories = block.CategoryIds;
            var scores = block.Scores;
            var x = block.X;
            var y = block.Y;
            var widths = block.Widths;
            var heights = block.Heights;
            var masks = block.Masks;
            for (int i = 0; i < block.Count; i++)
                ensemble.Add(ids[i], categories[i], scores[i], x[i], y[i], widths[i], heights[i], model, masks?[i]);
        }
    }
}
