using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace BoxFusion.Json
{
    /// <summary>
    /// Runs a reader on a worker thread, handing over batches in file order, so parsing overlaps with whatever
    /// the caller does with the records (in PowerShell: passing them down the pipeline). A reader error is
    /// rethrown, unchanged, to the caller after the records before it.
    /// </summary>
    public static class BackgroundReading
    {
        private const int BatchSize = 2048;

        public static IEnumerable<Detection[]> ReadBatches(CocoResultReader reader, CancellationToken cancel = default)
        {
            using (var queue = new BlockingCollection<Detection[]>(boundedCapacity: 16))
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                ExceptionDispatchInfo failure = null;
                var worker = Task.Run(() =>
                {
                    var batch = new Detection[BatchSize];
                    int count = 0;
                    try
                    {
                        while (reader.TryRead(out var d))
                        {
                            batch[count++] = d;
                            if (count < BatchSize) continue;
                            queue.Add(batch, stop.Token);
                            batch = new Detection[BatchSize];
                            count = 0;
                        }
                        if (count > 0)
                        {
                            Array.Resize(ref batch, count);
                            queue.Add(batch, stop.Token);
                        }
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }
                    catch (Exception e)
                    {
                        // The records before the fault still go to the caller, then the error.
                        if (count > 0 && !stop.IsCancellationRequested)
                        {
                            Array.Resize(ref batch, count);
                            try { queue.Add(batch, stop.Token); } catch (OperationCanceledException) { }
                        }
                        failure = ExceptionDispatchInfo.Capture(e);
                    }
                    finally
                    {
                        queue.CompleteAdding();
                    }
                }, CancellationToken.None);   // always start: the worker must complete the queue even when cancelled at once
                try
                {
                    foreach (var batch in queue.GetConsumingEnumerable(cancel)) yield return batch;
                    worker.Wait(CancellationToken.None);   // the queue is complete, so the worker is ending
                    failure?.Throw();
                }
                finally
                {
                    // The caller stopped early (or failed): stop the worker before the reader is disposed.
                    stop.Cancel();
                    try { worker.Wait(CancellationToken.None); } catch (AggregateException) { }
                }
            }
        }
    }
}
