BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $caseA = Join-Path $DataRoot 'case-a'
    $caseB = Join-Path $DataRoot 'case-b'
}

Describe 'Import-Detection' {
    It 'reads every record as a typed detection with the file name as model' {
        $d = Import-Detection (Join-Path $caseA 'model1.json')
        $raw = Get-Content (Join-Path $caseA 'model1.json') -Raw | ConvertFrom-Json
        $d.Count | Should -Be $raw.Count
        $d[0] | Should -BeOfType BoxFusion.Detection
        $d[0].Model | Should -Be 'model1'
        $d[0].ImageId | Should -Be $raw[0].image_id
        $d[0].ImageId | Should -BeOfType long
        $d[0].CategoryId | Should -Be $raw[0].category_id
        $d[0].Score | Should -Be $raw[0].score
        $d[0].X | Should -Be $raw[0].bbox[0]
        $d[0].Right | Should -Be ($raw[0].bbox[0] + $raw[0].bbox[2])
    }

    It 'keeps string image ids as strings' {
        $d = Import-Detection (Join-Path $caseB 'model1.json') | Select-Object -First 1
        $d.ImageId | Should -BeOfType string
        $d.ImageId | Should -BeLike '*.jpg'
    }

    It 'expands wildcards, takes Get-ChildItem output and -Model names' {
        (Import-Detection (Join-Path $caseB 'model*.json') | Group-Object Model).Name | Should -Be 'model1', 'model2', 'model3', 'model4'
        (Get-ChildItem $caseB -Filter 'model*.json' | Import-Detection | Group-Object Model).Count | Should -Be 4
        (Import-Detection (Join-Path $caseA 'model1.json'), (Join-Path $caseA 'model2.json') -Model yolox, detr).Model | Select-Object -Unique | Should -Be 'yolox', 'detr'
    }

    It 'reads -LiteralPath names with wildcard characters' {
        $dir = New-TestFolder
        $weird = Join-Path $dir 'run[1].json'
        Copy-Item -LiteralPath (Join-Path $caseA 'model1.json') -Destination $weird
        (Import-Detection -LiteralPath $weird | Select-Object -First 1).Model | Should -Be 'run[1]'
        Remove-Item -LiteralPath $dir -Recurse
    }

    It 'reports a missing file and a wildcard that matches nothing, and goes on with the rest' {
        $d = Import-Detection (Join-Path $caseA 'nothere.json'), (Join-Path $caseA 'zz*.json'), (Join-Path $caseA 'model1.json') -ErrorVariable errs -ErrorAction SilentlyContinue
        $d.Count | Should -BeGreaterThan 0
        $errs.FullyQualifiedErrorId | Should -Be 'FileNotFound,BoxFusion.Commands.ImportDetectionCommand', 'PathNotFound,BoxFusion.Commands.ImportDetectionCommand'
        $errs[0].TargetObject | Should -BeLike '*nothere.json'
    }

    It 'says which key holds the list when given a ground-truth file' {
        { Import-Detection (Join-Path $caseA 'gt.json') -ErrorAction Stop } | Should -Throw -ErrorId 'ResultFileNotAList,BoxFusion.Commands.ImportDetectionCommand' -ExpectedMessage "*'annotations'*"
    }
}

Describe 'Export-Submission' {
    BeforeEach {
        $dir = New-TestFolder
        $target = Join-Path $dir 'submission.json'
    }
    AfterEach { Remove-Item -LiteralPath $dir -Recurse -Force }

    It 'writes a COCO results list that reads back the same, keeping <Fixture> image id types' -ForEach @(
        @{ Fixture = 'case-a'; IdType = [long] }, @{ Fixture = 'case-b'; IdType = [string] }) {
        # Boxes without area (case-b has a few) are not written: they can never match anything.
        $d = Import-Detection (Join-Path $DataRoot "$Fixture/model1.json") | Where-Object { $_.Width -gt 0 -and $_.Height -gt 0 }
        $d | Export-Submission $target
        $json = Get-Content $target -Raw | ConvertFrom-Json
        $json.Count | Should -Be $d.Count
        $json[0].PSObject.Properties.Name | Should -Be 'image_id', 'category_id', 'bbox', 'score'
        $json[0].image_id | Should -BeOfType $IdType
        $back = Import-Detection $target
        ($back | ForEach-Object { "$($_.ImageId)|$($_.CategoryId)|$($_.Score)|$($_.X)|$($_.Y)|$($_.Width)|$($_.Height)" }) |
            Should -Be ($d | ForEach-Object { "$($_.ImageId)|$($_.CategoryId)|$($_.Score)|$($_.X)|$($_.Y)|$($_.Width)|$($_.Height)" })
    }

    It 'keeps the order of images as received' {
        $d = Import-Detection (Join-Path $caseB 'model2.json') | Where-Object { $_.Width -gt 0 }
        $d | Export-Submission $target
        (Import-Detection $target).ImageId | Should -Be $d.ImageId
    }

    It 'refuses to overwrite without -Force and leaves the file as it was' {
        Set-Content $target 'precious'
        { Import-Detection (Join-Path $caseA 'model1.json') | Export-Submission $target -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileExists,BoxFusion.Commands.ExportSubmissionCommand'
        Get-Content $target | Should -Be 'precious'
        Import-Detection (Join-Path $caseA 'model1.json') | Export-Submission $target -Force
        (Get-Content $target -Raw | ConvertFrom-Json).Count | Should -BeGreaterThan 0
    }

    It 'leaves out boxes without area, with one warning that counts them' {
        Import-Detection (Join-Path $caseB 'model1.json') | Export-Submission $target -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '5 detections with zero or negative width or height were not written*'
    }

    It 'writes nothing with -WhatIf' {
        Import-Detection (Join-Path $caseA 'model1.json') | Export-Submission $target -WhatIf
        Test-Path $target | Should -BeFalse
        @(Get-ChildItem $dir -Force).Count | Should -Be 0
    }

    It 'leaves the earlier file untouched when the pipeline fails midway' {
        Set-Content $target 'earlier'
        $d = Import-Detection (Join-Path $caseA 'model1.json')
        { & { $d | Select-Object -First 100; throw 'detector crashed' } | Export-Submission $target -Force } | Should -Throw '*detector crashed*'
        Get-Content $target | Should -Be 'earlier'
        @(Get-ChildItem $dir -Force).Name | Should -Be 'submission.json'
    }

    It 'writes a zip holding only submission.json, and -PassThru returns the file' {
        $zip = Join-Path $dir 'sub.zip'
        $file = Import-Detection (Join-Path $caseA 'model1.json') | Export-Submission $zip -PassThru
        $file | Should -BeOfType System.IO.FileInfo
        $file.FullName | Should -Be $zip
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [System.IO.Compression.ZipFile]::OpenRead($zip)
        try {
            $archive.Entries.FullName | Should -Be 'submission.json'
            $reader = [System.IO.StreamReader]::new($archive.Entries[0].Open())
            ($reader.ReadToEnd() | ConvertFrom-Json).Count | Should -Be (Import-Detection (Join-Path $caseA 'model1.json')).Count
            $reader.Dispose()
        }
        finally { $archive.Dispose() }
    }

    It 'runs the whole README pipeline with the plural aliases' {
        Import-Detections (Join-Path $caseB 'model1.json'), (Join-Path $caseB 'model2.json'), (Join-Path $caseB 'model3.json') |
            Merge-Detections -Method WBF -IouThreshold 0.6 -SkipBoxThreshold 0.01 -Weight 2, 1, 1 -ImageInfo (Join-Path $caseB 'gt.json') |
            Export-Submission -Path $target
        $json = Get-Content $target -Raw | ConvertFrom-Json
        $json.Count | Should -BeGreaterThan 100
        ($json.score | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 1
    }
}
