# Help for Export-Submission. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Writes detections as a COCO results file, or a zip holding one, for a challenge server or pycocotools.'

    Description = @'
Export-Submission writes the detections it receives as a COCO results list, one record per line: {"image_id", "category_id", "bbox": [x, y, width, height], "score"}, in the order received, with numbers in their shortest exact form. Image ids keep their type: numbers stay numbers, strings stay strings.

A detection with a mask also gets its "segmentation", as compressed RLE {"size": [height, width], "counts": "..."} (pycocotools' string encoding, the COCO segm results format that mmdetection and detectron2 write), beside its bbox; reading the file back gives the same masks, bit for bit. Polygon masks not yet rasterised are written as the polygons they were.

A path ending in .zip, or -Zip, writes a zip archive holding only submission.json (or -EntryName), as challenge servers such as CodaLab expect.

The file is written under a temporary name beside the target and renamed only when complete, so a failure or Ctrl+C midway leaves an earlier file as it was. An existing file is replaced only with -Force.

Detections that would make an invalid submission are not written: those without an image id or with a non-finite score or coordinate are reported as errors, and boxes with zero or negative width or height (which can never match anything) are counted in one warning. No input at all writes an empty list.
'@

    Parameters  = @{
        InputObject = @{
            Description = 'The detections to write, from Merge-Detection, Import-Detection or New-Detection. $null is ignored.'
            Default     = 'None'
        }
        Path        = @{
            Description = 'The file to write, such as submission.json or submission.zip. Its folder must exist. Wildcards are not expanded.'
            Default     = 'None'
        }
        LiteralPath = @{
            Description = 'The file to write, used exactly as written. Export-Submission never expands wildcards, so -LiteralPath and -Path behave the same.'
            Default     = 'None'
        }
        Zip         = @{
            Description = 'Write a zip archive holding the results as one JSON file (-EntryName), whatever the extension of the path. A path ending in .zip implies it.'
            Default     = 'False'
        }
        EntryName   = @{
            Description = 'The name of the JSON file inside the zip archive. Only used with -Zip or a .zip path.'
            Default     = 'submission.json'
        }
        Force       = @{
            Description = 'Replace the file if it exists. Without it, an existing file is an error (FileExists) and is left untouched.'
            Default     = 'False'
        }
        PassThru    = @{
            Description = 'Return the written file as a FileInfo object. By default Export-Submission returns nothing.'
            Default     = 'False'
        }
    }

    Inputs      = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'The detections to write.' }
    )
    Outputs     = @(
        @{ Type = 'None'; Description = 'By default, Export-Submission returns nothing.' }
        @{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, the file written.' }
    )

    Notes       = @'
The records are written in the order received: Merge-Detection's output is already grouped by image and sorted by score within each image. Export-Submission does not limit the number of detections per image; use Merge-Detection -MaxDetectionsPerImage for that.

Errors you can catch by id: FileExists, PathIsAFolder, FolderNotFound, FileWriteFailed (terminating) and, per detection, DetectionWithoutImageId and NonFiniteDetection (only the first non-finite detection is reported; a warning counts the rest).

-InputObject is mandatory: run without pipeline input, Export-Submission prompts for a detection. Pipe an empty array (@() | Export-Submission empty.json) to write an empty list.
'@

    Examples    = @(
        @{
            Title   = 'Write a fused submission'
            Code    = @'
cd tests/data/sample
Import-Detection yolox.json, cascade.json, detr.json |
    Merge-Detection -ConfidenceType BoxAndModelAvg -ImageInfo gt.json |
    Export-Submission -Path submission.json
'@
            Remarks = 'Writes submission.json in the current folder. Run it again and Export-Submission refuses, because the file exists; add -Force to replace it.'
        }
        @{
            Title   = 'Write a zip for the challenge server and check it'
            Code    = @'
$file = Merge-Detection -Path yolox.json, cascade.json, detr.json -MaxDetectionsPerImage 100 |
    Export-Submission submission.zip -Force -PassThru
$zip = [System.IO.Compression.ZipFile]::OpenRead($file.FullName)
$zip.Entries.FullName      # submission.json
$zip.Dispose()
'@
            Remarks = 'The .zip extension makes a zip archive holding only submission.json, keeping at most the 100 best boxes per image. -PassThru returns the FileInfo of the zip, to look inside it. -Force replaces an earlier submission.zip; without it the command would fail with FileExists.'
        }
        @{
            Title   = 'See what would be written'
            Code    = @'
Import-Detection yolox.json | Export-Submission yolox-only.json -WhatIf
'@
            Remarks = 'With -WhatIf nothing is written; Export-Submission says which file it would write.'
        }
        @{
            Title   = 'Name the file inside the zip'
            Code    = @'
Import-Detection fused.json | Export-Submission results.zip -EntryName detections_test-dev2017_boxfusion_results.json
'@
            Remarks = 'The COCO test-dev server wants a zip holding a file named detections_test-dev2017_<algorithm>_results.json; -EntryName sets that name.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Merge-Detection'
        'Import-Detection'
        @{ Text = 'COCO results format'; Uri = 'https://cocodataset.org/#format-results' }
    )
}
