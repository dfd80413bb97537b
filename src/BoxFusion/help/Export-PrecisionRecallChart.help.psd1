# Help for Export-PrecisionRecallChart. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Writes a PNG chart of precision against recall for one or more Measure-Detection results.'

    Description = @'
Export-PrecisionRecallChart draws the precision-recall curves behind Measure-Detection's numbers: one panel per IoU setting (by default 0.50, 0.75 and the mean over 0.50:0.95, which is COCO's AP), one curve per result piped in, each named in the legend with its AP. Pipe in the output of Measure-Detection -GroupBy Model to compare models and fusion methods in one chart.

A curve is pycocotools' interpolated precision at each recall threshold (0, 0.01, ..., 1), averaged over the categories that have ground truth (or of one category with -Category), at area range -AreaRange and the largest max-detections; the mean of its points is the AP in the legend. Where a model's detections run out, COCO's precision is 0, so curves drop to 0 at the highest recall reached.

The file is written atomically and replaced only with -Force. The chart is drawn with ScottPlot on SkiaSharp, whose native library ships with the module; where it cannot load, the cmdlet stops with GraphicsUnavailable and the other cmdlets are not affected.
'@

    Parameters  = @{
        InputObject    = @{
            Description = 'Results of Measure-Detection, which carry the precision-recall arrays (PrecisionRecall). A result without them is an error (NoPrecisionRecall) and left out. Results read back from Export-Clixml are not results any more (their arrays are not saved): pipe in Measure-Detection''s own output.'
            Default     = 'None'
        }
        Path           = @{
            Description = 'The PNG file to write. Its folder must exist.'
            Default     = 'None'
        }
        IouThreshold   = @{
            Description = 'One panel per value, left to right: an IoU threshold of COCO''s (0.5, 0.55, ..., 0.95), or 0.5:0.95 for the mean over all ten.'
            Default     = '0.5, 0.75, 0.5:0.95'
        }
        Category       = @{
            Description = 'A category name (case-insensitive) or id: the curves of that category alone. A category the ground truth does not have is an error (CategoryNotFound).'
            Default     = 'None (the mean over categories)'
        }
        AreaRange      = @{ Description = 'COCO''s object size range: all, small (below 32 x 32 pixels), medium or large (above 96 x 96).' }
        Title          = @{
            Description = 'The chart''s title.'
            Default     = 'Precision-recall, and the category with -Category'
        }
        Width          = @{
            Description = 'The picture''s width in pixels.'
            AcceptedValues = 'a whole number from 200 to 8000'
        }
        Height         = @{
            Description = 'The picture''s height in pixels.'
            AcceptedValues = 'a whole number from 200 to 8000'
        }
        Color          = @{
            Description = 'Curve colours in the order the results arrive (#RRGGBB, #AARRGGBB, #RGB or a name such as red); later curves take the palette''s. A colour that cannot be read stops the cmdlet (ColorInvalid).'
            Default     = 'None (the palette, Tableau 10)'
        }
        Force          = @{ Description = 'Replace the file if it exists. Without it, an existing file stops the cmdlet (FileExists).' }
        PassThru       = @{ Description = 'Output a FileInfo for the chart written.' }
    }

    Inputs      = @(
        @{ Type = 'BoxFusion.Evaluation.EvaluationResult'; Description = 'Results of Measure-Detection.' }
    )
    Outputs     = @(
        @{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, the chart written.' }
    )

    Notes       = @'
Errors you can catch by id: GraphicsUnavailable, NoPrecisionRecall, CategoryNotFound, ColorInvalid, FolderNotFound, FileExists, TargetNotARegularFile, PathHasWildcards, FileWriteFailed, ResultNotComparable. The file is checked and written as Export-Submission writes: through a symbolic link, keeping a replaced file's permissions, never replacing anything but a regular file.

The arrays themselves are in each result's PrecisionRecall property (see Measure-Detection), for charts of your own.
'@

    Examples    = @(
        @{
            Title   = 'Compare three models and their fusion'
            Code    = @'
cd tests/data/sample
$detections = Import-Detection yolox.json, cascade.json, detr.json
$fused = $detections | Merge-Detection -ImageInfo gt.json
$detections + $fused | Measure-Detection -GroundTruth gt.json -GroupBy Model | Export-PrecisionRecallChart pr.png
'@
            Remarks = 'One chart with three panels (IoU 0.50, 0.75, 0.50:0.95) and four curves each: yolox, cascade, detr and WBF, with their AP in the legend.'
        }
        @{
            Title   = 'One category, one panel'
            Code    = @'
Measure-Detection gt.json -Path yolox.json, detr.json -GroupBy Model |
    Export-PrecisionRecallChart person.png -Category person -IouThreshold 0.5 -Width 800 -Height 600
'@
            Remarks = 'The curves of the category person at IoU 0.5, in an 800 x 600 picture.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Measure-Detection'
        'Export-DetectionImage'
    )
}
